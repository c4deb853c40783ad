import type { CardView } from '../catalog/catalog.service.js';
import { BlankComposeForms, type FormTokens } from './blank-compose-forms.js';

describe('BlankComposeForms', () => {
  const card = () => ({ slug: 'a-card' }) as CardView;
  let renders = 0;
  const render = (t: FormTokens) => {
    renders++;
    return `<form><input value="${t.csrfToken}"><input value="${t.idempotencyKey}"></form>`;
  };
  beforeEach(() => {
    renders = 0;
  });

  it('renders a card once and fills in each request tokens', () => {
    const forms = new BlankComposeForms();
    const c = card();
    const a = forms.page(c, 'v', { idempotencyKey: 'key-1', csrfToken: 'tok.1' }, render);
    const b = forms.page(c, 'v', { idempotencyKey: 'key-2', csrfToken: 'tok.2' }, render);
    expect(a).toBe('<form><input value="tok.1"><input value="key-1"></form>');
    expect(b).toBe('<form><input value="tok.2"><input value="key-2"></form>');
    expect(renders).toBe(1);
  });

  it('renders again for another variant and for a new copy of the card', () => {
    const forms = new BlankComposeForms();
    const c = card();
    const tokens = { idempotencyKey: 'k', csrfToken: 't' };
    forms.page(c, 'scheduling on', tokens, render);
    forms.page(c, 'scheduling off', tokens, render);
    forms.page(card(), 'scheduling on', tokens, render);
    expect(renders).toBe(3);
  });

  it('renders directly what it cannot fill safely', () => {
    const forms = new BlankComposeForms();
    const c = card();
    // A value that escaping would change.
    const odd = forms.page(c, 'v', { idempotencyKey: 'a"b', csrfToken: 't' }, render);
    expect(odd).toContain('a"b');
    // A template that shows a token twice.
    const twice = (t: FormTokens) => `${t.csrfToken}${t.csrfToken}${t.idempotencyKey}`;
    expect(forms.page(card(), 'v', { idempotencyKey: 'k', csrfToken: 't' }, twice)).toBe('ttk');
    expect(forms.page(card(), 'v', { idempotencyKey: 'k', csrfToken: 'u' }, twice)).toBe('uuk');
  });

  it('keeps a bounded number of variants per card', () => {
    const forms = new BlankComposeForms();
    const c = card();
    for (let i = 0; i < 20; i++)
      forms.page(c, `path ${i}`, { idempotencyKey: 'k', csrfToken: 't' }, render);
    renders = 0;
    forms.page(c, 'path 19', { idempotencyKey: 'k', csrfToken: 't' }, render);
    forms.page(c, 'path 19', { idempotencyKey: 'k', csrfToken: 't' }, render);
    expect(renders).toBe(2);
    forms.page(c, 'path 0', { idempotencyKey: 'k', csrfToken: 't' }, render);
    expect(renders).toBe(2);
  });
});
