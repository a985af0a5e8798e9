// Prints the README's field table: node --import=tsx services/config/write-reference.ts
import { referenceTable } from './reference.js';

process.stdout.write(`${referenceTable()}\n`);
