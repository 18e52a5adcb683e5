import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root, so templates are found wherever agentapi-kit is installed or run from. */
export const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export const templatesRoot = resolve(packageRoot, 'templates');
