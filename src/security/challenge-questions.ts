/**
 * The questions a client whose compose attempts spiked answers when it cannot run the
 * proof-of-work (no JavaScript): short, varied, about everyday things or the card form itself,
 * each with every answer a person might type. Not arithmetic: one parser solved every one of
 * those. The answer is checked server-side; the question's number travels inside the form MAC.
 */
export interface ChallengeQuestion {
  text: string;
  answers: readonly string[];
}

export const CHALLENGE_QUESTIONS: readonly ChallengeQuestion[] = [
  { text: 'What colour is a clear daytime sky?', answers: ['blue', 'light blue'] },
  { text: 'How many days are there in a week?', answers: ['7', 'seven'] },
  { text: 'What is the opposite of "cold"?', answers: ['hot', 'warm'] },
  { text: 'Which season comes after winter?', answers: ['spring'] },
  {
    text: 'What do you write on an envelope so it reaches someone: their name and…?',
    answers: ['address', 'their address', 'an address'],
  },
  { text: 'Type the word "card" backwards.', answers: ['drac'] },
  { text: 'How many legs does a cat have?', answers: ['4', 'four'] },
  { text: 'What is the first letter of the word "greeting"?', answers: ['g'] },
  {
    text: 'Which is bigger: a mouse or an elephant?',
    answers: ['elephant', 'an elephant', 'the elephant'],
  },
  {
    text: 'What do people put birthday candles on? (one word)',
    answers: ['cake', 'a cake'],
  },
  { text: 'How many months are there in a year?', answers: ['12', 'twelve'] },
  { text: 'What colour is fresh snow?', answers: ['white'] },
];

/** The form of an answer compared: case, spacing and trailing punctuation do not matter. */
export function normaliseAnswer(answer: string): string {
  return answer
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[.!?,;:"'’]+/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function answersQuestion(index: number, answer: string): boolean {
  const question = CHALLENGE_QUESTIONS[index];
  return question !== undefined && question.answers.includes(normaliseAnswer(answer));
}
