// Synthetic instruction tasks for the starter model and its sample fine-tuning dataset; every
// generator is driven by a seeded PRNG, so the same seed gives the same data byte for byte.
import { rng } from "../model";

export interface ChatExample {
  messages: { role: "user" | "assistant"; content: string }[];
}

type Rand = ReturnType<typeof rng>;

export const NAMES = [
  "Maria", "John", "Aisha", "Kenji", "Lucas", "Emma", "Omar", "Sofia", "Liam", "Chen", "Priya", "Noah", "Elena", "Mateo",
  "Zara", "Ivan", "Mia", "Tom", "Ana", "Yusuf", "Lena", "Diego", "Hana", "Paul", "Nina", "Ravi", "Sara", "Leo", "Amara", "Felix",
];
export const CITIES = [
  "Lisbon", "Paris", "Tokyo", "Lagos", "Berlin", "Madrid", "Cairo", "Oslo", "Lima", "Seoul", "Rome", "Dublin", "Austin",
  "Mumbai", "Nairobi", "Vienna", "Prague", "Sydney", "Toronto", "Boston", "Quito", "Hanoi", "Athens", "Zurich",
];
const WORDS = [
  "the", "cat", "dog", "red", "blue", "small", "big", "house", "tree", "river", "green", "happy", "light", "night", "sun",
  "moon", "fast", "slow", "book", "road", "bird", "warm", "cold", "door", "apple", "water", "stone", "cloud", "music", "city",
];
const REQUESTS = [
  "send me the report", "close the door", "call me tomorrow", "check the numbers", "fix the bug", "book a room",
  "share the slides", "review my code", "update the list", "answer the email", "move the meeting", "print the file",
  "open the window", "read this note", "water the plants", "clean the desk", "bring the keys", "sign the form",
];

const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r.next() * xs.length)];
const int = (r: Rand, lo: number, hi: number) => lo + Math.floor(r.next() * (hi - lo + 1));
const chat = (user: string, assistant: string): ChatExample => ({
  messages: [{ role: "user", content: user }, { role: "assistant", content: assistant }],
});

export interface Person {
  name: string;
  city: string;
  age: number;
}

export function personSentence(r: Rand, p: Person): string {
  const templates = [
    `${p.name} is ${p.age} and lives in ${p.city}.`,
    `${p.name}, ${p.age}, lives in ${p.city}.`,
    `My name is ${p.name}, I am ${p.age} years old and I live in ${p.city}.`,
    `${p.name} (${p.age}) moved to ${p.city} last year.`,
    `Meet ${p.name} from ${p.city}, who is ${p.age}.`,
  ];
  return pick(r, templates);
}

export function randomPerson(r: Rand): Person {
  return { name: pick(r, NAMES), city: pick(r, CITIES), age: int(r, 18, 89) };
}

function extractJson(r: Rand): ChatExample {
  const p = randomPerson(r);
  return chat(`Extract the name, city and age as JSON: ${personSentence(r, p)}`, JSON.stringify({ name: p.name, city: p.city, age: p.age }));
}

function arithmetic(r: Rand): ChatExample {
  const op = pick(r, ["+", "+", "-", "*"]);
  let a: number, b: number, c: number;
  if (op === "*") { a = int(r, 2, 12); b = int(r, 2, 12); c = a * b; }
  else if (op === "-") { a = int(r, 0, 99); b = int(r, 0, a); c = a - b; }
  else { a = int(r, 0, 99); b = int(r, 0, 99); c = a + b; }
  const q = pick(r, [`What is ${a} ${op} ${b}?`, `Compute ${a} ${op} ${b}.`, `${a} ${op} ${b} =`]);
  return chat(q, String(c));
}

const phrase = (r: Rand) => Array.from({ length: int(r, 2, 5) }, () => pick(r, WORDS)).join(" ");

function uppercase(r: Rand): ChatExample {
  const s = phrase(r);
  return chat(`${pick(r, ["Uppercase:", "Convert to uppercase:"])} ${s}`, s.toUpperCase());
}

function reverseWords(r: Rand): ChatExample {
  const s = phrase(r);
  return chat(`Reverse the word order: ${s}`, s.split(" ").reverse().join(" "));
}

function polite(r: Rand): ChatExample {
  const req = pick(r, REQUESTS);
  return chat(`Make it polite: ${req}`, `Could you please ${req}?`);
}

const SMALL_TALK: [string[], string][] = [
  [["Hello", "Hi", "Hello!", "Hi there", "Hey"], "Hello! How can I help you today?"],
  [["Who are you?", "What are you?"], "I am Kindling's starter model, a small model trained on this machine."],
  [["What can you do?", "Help"], "I can extract fields as JSON, do small arithmetic and rewrite short text."],
  [["Thank you", "Thanks!", "Thanks"], "You're welcome!"],
  [["Goodbye", "Bye"], "Goodbye! Have a nice day."],
];

function smallTalk(r: Rand): ChatExample {
  const [qs, a] = pick(r, SMALL_TALK);
  return chat(pick(r, qs), a);
}

export type StarterTask = "extract" | "arithmetic" | "uppercase" | "reverse" | "polite" | "talk";
const GENERATORS: Record<StarterTask, (r: Rand) => ChatExample> = {
  extract: extractJson, arithmetic, uppercase, reverse: reverseWords, polite, talk: smallTalk,
};
export const DEFAULT_MIX: Record<StarterTask, number> = { extract: 0.32, arithmetic: 0.28, uppercase: 0.13, reverse: 0.1, polite: 0.1, talk: 0.07 };

/** The starter model's mixed instruction data; `weights` are the task shares (summing to 1). */
export function starterExamples(seed: number, n: number, weights: Record<StarterTask, number> = DEFAULT_MIX): ChatExample[] {
  const r = rng(seed);
  const mix = (Object.keys(GENERATORS) as StarterTask[]).map((k) => [weights[k], GENERATORS[k]] as const);
  const out: ChatExample[] = [];
  for (let i = 0; i < n; i++) {
    let u = r.next();
    let gen = mix[0][1];
    for (const [w, g] of mix) {
      if (u < w) { gen = g; break; }
      u -= w;
    }
    out.push(gen(r));
  }
  return out;
}

/** The sample fine-tuning task: the same facts as CSV, a format the starter model was never taught. */
export function csvExamples(seed: number, n: number): ChatExample[] {
  const r = rng(seed);
  return Array.from({ length: n }, () => {
    const p = randomPerson(r);
    return chat(`Extract the name, city and age as CSV: ${personSentence(r, p)}`, `${p.name},${p.city},${p.age}`);
  });
}

/** The prompts the starter README shows, with their answers regenerated by build-starter. */
export const EXAMPLE_PROMPTS = [
  "Extract the name, city and age as JSON: Maria is 34 and lives in Lisbon.",
  "Extract the name, city and age as JSON: My name is Kenji, I am 27 years old and I live in Oslo.",
  "What is 17 + 25?",
  "What is 7 * 8?",
  "Compute 93 - 41.",
  "Uppercase: the small cat",
  "Reverse the word order: the blue river is cold",
  "Make it polite: send me the report",
  "Hello",
  "What can you do?",
];
