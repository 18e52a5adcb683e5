export declare const PACKAGE_ROOT: string;
export declare const DIST_DIR: string;
export declare const LIB_DIR: string;
export declare const REQUIRE_DIST_ENV: string;
export declare function digestSources(paths: readonly string[], root?: string): string;
export declare function freshDistEntry(root?: string): string | undefined;
export declare function staleDistParts(root?: string): string[];
