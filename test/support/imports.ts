import ts from 'typescript';

/**
 * Every module specifier a source file names: static imports and re-exports (type-only included),
 * side-effect imports, dynamic `import()` and `require()`. TypeScript's own pre-processor reads
 * them, so no pattern of ours has to know the grammar.
 */
export function importedSpecifiers(source: string): string[] {
  return ts.preProcessFile(source, true, true).importedFiles.map((file) => file.fileName);
}
