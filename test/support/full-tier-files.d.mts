export declare const FULL_TIER_FILES: readonly string[];
