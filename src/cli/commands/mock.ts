import type { Command } from 'commander';

// Placeholder until the mock command lands; registers nothing so --help stays honest.
export function registerMockCommand(_program: Command): void {}
