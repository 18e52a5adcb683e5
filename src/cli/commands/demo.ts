import type { Command } from 'commander';

// Placeholder until the demo command lands; registers nothing so --help stays honest.
export function registerDemoCommand(_program: Command): void {}
