import { AGENT_TYPES } from './agent-types.ts';

/** The commented starting spec `agentapi-kit new-agent <slug>` writes; it validates as written. */
export function starterSpec(slug: string): string {
  const display = slug
    .split('-')
    .map((word) => word.charAt(0).toUpperCase() + word.slice(1))
    .join(' ');
  const variable = slug.replace(/-/g, '_');
  return `# An agent spec for agentapi-kit. List this file under "agents" in agentapi-kit.config.json and run
# \`agentapi-kit generate\`: the module lands in modules/${slug}/ beside modules/agentapi/, with every
# agentapi input (task_log_snapshot, state persistence, boundary, ...) passed through.

# Directory name under modules/, the web app's slug, and the module's name in the README.
slug: ${slug}
displayName: ${display}
description: Run ${display} in your workspace.
# A path under the Coder deployment's /icon/, or a URL.
icon: /icon/code.svg
# AgentAPI's --type for this agent (how it reads the terminal), one of:
# ${AGENT_TYPES.join(', ')}
agentType: custom

# Where module "agentapi" comes from: the generated module beside this one (the default), or
#   agentapi: { source: registry.coder.com/coder/agentapi/coder, version: 2.4.0 }
agentapi:
  path: ../agentapi

# The agent's own inputs. Non-sensitive ones reach install as ARG_<NAME> (ARG_INSTALL_${variable.toUpperCase()}
# below) and the command line as \${var.NAME}; sensitive ones only through env (never ARG_<NAME>).
variables:
  - name: install_${variable}
    type: bool
    description: Whether to install ${display}.
    default: true
  - name: ${variable}_api_key
    type: string
    description: The API key ${display} uses.
    default: ""
    sensitive: true
  - name: ${variable}_model
    type: string
    description: The model ${display} uses; empty leaves its own default.
    default: ""
  # default: null is Terraform's \`default = null\` (the scripts get an empty string).
  - name: ${variable}_config
    type: string
    description: ${display}'s configuration file, written at install; null writes none.
    default: null
  # A variable can set an agentapi input under another name (a registry module's \`order\` is
  # agentapi's web_app_order); that input is then not passed through under its own name.
  - name: order
    type: number
    description: The position of the web app in the UI.
    default: null
    agentapiInput: web_app_order
  # oneOf: the values the variable accepts, checked at plan.
  - name: ${variable}_mode
    type: string
    description: The mode ${display} runs in.
    default: fast
    oneOf:
      values: [fast, careful]
      errorMessage: "${variable}_mode must be fast or careful."

# Config files written at install (owner-only, before the install step) from a string variable;
# an empty or null value writes none. Paths are relative to $HOME.
files:
  - path: .config/${slug}/config.yml
    from: ${variable}_config

# POSIX sh, run at every start before AgentAPI (under set -eu). Keep it idempotent.
install: |
  if [ "$ARG_INSTALL_${variable.toUpperCase()}" != true ]; then
  	echo "Skipping the ${display} install"
  	exit 0
  fi
  echo "Install ${display} here, e.g. npm install -g <package>"

# The agent's command line under \`agentapi server --\` (not shell: each element is one argument);
# promptArgs are added when the task has a prompt, the element "{prompt}" standing for it.
# \${var.NAME} in an element is replaced by a non-sensitive variable's value, e.g. [--model, "\${var.model}"].
start:
  command: [${slug}]
  promptArgs: ["{prompt}"]
  # Flags added when a variable is set: a string's value after its flag, a bool's flag alone.
  options:
    - { variable: ${variable}_model, flag: --model }
  # promptVia: agentapi    AgentAPI sends the prompt as the first message (-I), not promptArgs
  # promptVariable: NAME   a string variable that, when not empty, is the prompt instead of the task's
  # prepare: |             POSIX sh run before the argv is built: may rewrite ARG_PROMPT (put a
  #                        system prompt in front, say) or export the agent's environment

# Environment for the agent, set on the Coder agent (coder_env); \${var.NAME} refers to a variable.
env:
  ${variable.toUpperCase()}_API_KEY: \${var.${variable}_api_key}

# A drop-in for a registry module: the README then says how to switch (the source and version
# lines), what changes, and lists the additions; the Terraform test plans with the usage inputs.
# replaces:
#   source: registry.coder.com/coder/${slug}/coder
#   version: 1.0.0
#   passedThrough: [agent_id, folder]   # its inputs that agentapi has too, passed through as they are
#   usage: { ${variable}_model: best }
#   changes: [What behaves differently after the switch.]
`;
}
