import type { Command } from 'commander';

// Placeholder until the conformance command lands; registers nothing so --help stays honest.
export function registerConformanceCommand(_program: Command): void {}
