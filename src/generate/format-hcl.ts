import { format } from '@cdktf/hcl-tools';

/** Canonical `terraform fmt` layout, so generated HCL diffs cleanly against hand-written modules. */
export async function formatHcl(text: string, fileName: string): Promise<string> {
  try {
    return await format(text);
  } catch (error) {
    throw new Error(`rendered ${fileName} is not valid HCL: ${(error as Error).message}`);
  }
}
