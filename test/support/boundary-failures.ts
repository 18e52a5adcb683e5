/**
 * The boundary failures every shell must report with its message and a failed start: what is
 * wrong and what to do. Shared by the shell matrix (boundary.test.ts, the boundary step alone) and
 * the whole-body runs (boundary-cases.test.ts).
 */
import { type BoundarySettings, type ScriptServer, type StandIn, STAND_INS } from './boundary.ts';

export const COMPILE: BoundarySettings = { enable: true, compile: true, version: 'v0.5.1' };
export const RELEASE: BoundarySettings = { enable: true, directly: true, version: 'v0.3.0' };
export const CODER: BoundarySettings = { enable: true };
export const REPO = 'https://git.example.invalid/coder/boundary.git';

export interface FailureCase {
  title: string;
  settings: BoundarySettings;
  standIns?: readonly StandIn[];
  env?: Record<string, string> | ((scripts: ScriptServer) => Record<string, string>);
  message: string | RegExp;
}

const without = (name: StandIn): StandIn[] => STAND_INS.filter((each) => each !== name);

export const FAILURES: FailureCase[] = [
  {
    title: 'coder not on PATH',
    settings: CODER,
    standIns: without('coder'),
    message: /Error: boundary is on, but the coder CLI is not on PATH \(.*\); put coder in the image, or set use_boundary_directly = true/,
  },
  {
    title: 'a coder without the boundary subcommand',
    settings: CODER,
    env: { FAKE_CODER_NO_BOUNDARY: '1' },
    message: /Error: the coder CLI at \S+\/coder has no boundary subcommand \(`coder boundary --help` failed: it is too old\); put a newer coder in the image/,
  },
  {
    title: 'git missing (compile)',
    settings: COMPILE,
    standIns: without('git'),
    message: 'Error: git is not installed; compiling boundary needs git, make and a Go toolchain in the image',
  },
  {
    title: 'git clone failing (compile)',
    settings: COMPILE,
    env: { FAKE_GIT_FAIL: 'clone' },
    message: `Error: git clone ${REPO} failed (exit status 128; its output is above); check the network and the repository URL`,
  },
  {
    title: 'boundary_version not a git ref (compile)',
    settings: { ...COMPILE, version: 'no-such-tag' },
    message: `Error: git checkout no-such-tag failed (exit status 1; its output is above); boundary_version must be a tag, branch or commit of ${REPO}`,
  },
  {
    title: 'make build failing (compile)',
    settings: COMPILE,
    env: { FAKE_MAKE: 'fail' },
    message: 'Error: make build of boundary v0.5.1 failed (exit status 2; its output is above); it needs a Go toolchain (go) on PATH',
  },
  {
    title: 'no sudo where one is needed (compile, not root)',
    settings: COMPILE,
    standIns: without('sudo'),
    message: /Error: installing boundary to \S+ needs root, and sudo is not installed; run the workspace as root, give its user passwordless sudo/,
  },
  {
    title: 'sudo asking for a password (release, not root)',
    settings: RELEASE,
    env: { FAKE_SUDO: 'password' },
    message: /Error: installing boundary to \S+ needs root, and sudo asks for a password \(`sudo -n true` failed\)/,
  },
  {
    title: 'the install script download failing (release)',
    settings: RELEASE,
    env: (server) => ({ ARG_BOUNDARY_INSTALL_SCRIPT_URL: server.url('missing') }),
    message: /Error: could not download boundary's install script from http:\/\/\S+\/missing\.sh \(HTTP 404\); check the network/,
  },
  {
    title: 'the install script failing (release)',
    settings: RELEASE,
    env: { FAKE_INSTALL: 'fail' },
    message: "Error: boundary's install script for version v0.3.0 failed (exit status 1; its output is above); boundary_version must be a release tag or latest",
  },
];
