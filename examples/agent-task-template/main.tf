# A Coder Tasks template that runs Codex through the generated agent module (modules/codex), with
# the conversation snapshot exposed to the template author. Only the coder provider is used, so the
# template validates anywhere; add the compute your platform runs (see README.md beside this file).

terraform {
  required_version = ">= 1.0"

  required_providers {
    coder = {
      source = "coder/coder"
      # 2.13 brings data "coder_task" (read by the agent module) and coder_ai_task.app_id.
      version = ">= 2.13"
    }
  }
}

provider "coder" {}

variable "task_log_snapshot" {
  type        = bool
  description = "When a task workspace stops, upload the last 10 messages of the conversation to Coder so they can be read while the task is paused. Set to false to keep conversations off the Coder server."
  default     = true
}

variable "openai_api_key" {
  type        = string
  description = "OpenAI API key for Codex."
  default     = ""
  sensitive   = true
}

data "coder_provisioner" "me" {}

data "coder_workspace" "me" {}

resource "coder_agent" "main" {
  arch = data.coder_provisioner.me.arch
  os   = "linux"
  dir  = "/home/coder/project"
}

module "codex" {
  count  = data.coder_workspace.me.start_count
  source = "../../modules/codex"

  agent_id       = coder_agent.main.id
  folder         = "/home/coder/project"
  openai_api_key = var.openai_api_key

  # Every agentapi input passes through the agent module; this one is the template author's choice.
  task_log_snapshot = var.task_log_snapshot
}

resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = module.codex[0].task_app_id
}

# Your compute goes here: a container, pod or VM that runs coder_agent.main.init_script with
# CODER_AGENT_TOKEN = coder_agent.main.token, and gives stop scripts their grace period (Docker's
# default 10 s covers the module's 8 s of shutdown timeouts).

# What the agentapi scripts will run with, readable in `terraform plan` (the coder_script bodies are
# base64): e.g. shutdown.ARG_TASK_LOG_SNAPSHOT. `agentapi-kit conformance --template . --explain`
# prints the same per script.
output "agentapi_script_inputs" {
  value = one(module.codex[*].script_inputs)
}
