import { readFileSync } from 'node:fs';
import { DIAGRAM_PATH, recipientStateDiagram } from './fsm-diagram.js';

describe('recipient state diagram', () => {
  it('is generated from the transition table and committed up to date', () => {
    const diagram = recipientStateDiagram();
    expect(diagram).toContain('queued --> sending: claim');
    expect(readFileSync(DIAGRAM_PATH, 'utf8')).toBe(diagram);
  });
});
