# A Coder Tasks template on Docker that runs Claude Code behind AgentAPI through the generated
# agentapi module. See README.md beside this file for what the task log snapshot captures.

terraform {
  required_version = ">= 1.0"

  required_providers {
    coder = {
      source = "coder/coder"
      # 2.13 brings data "coder_task" (read by the module) and coder_ai_task.app_id.
      version = ">= 2.13"
    }
    docker = {
      source  = "kreuzwerker/docker"
      version = "~> 3.0"
    }
  }
}

provider "coder" {}

provider "docker" {}

variable "task_log_snapshot" {
  type        = bool
  description = "When a task workspace stops, upload the last 10 messages of the conversation to Coder so they can be read while the task is paused. The content is stored on the Coder server; set to false to keep conversations off it."
  default     = true
}

variable "enable_boundary" {
  type        = bool
  description = "Run Claude Code inside boundary, which filters its network access (off by default). Needs a coder CLI with the boundary subcommand in the image; see the module README."
  default     = false
}

variable "anthropic_api_key" {
  type        = string
  description = "API key for Claude Code. Leave empty if the image or a dotfiles repository provides credentials."
  default     = ""
  sensitive   = true
}

variable "container_image" {
  type        = string
  description = "Workspace image. It needs node and npm for the Claude Code install, and curl or wget."
  default     = "codercom/enterprise-node:ubuntu"
}

locals {
  username        = data.coder_workspace_owner.me.name
  home            = "/home/coder"
  project_dir     = "/home/coder/project"
  module_dir_name = ".claude-module"
  agentapi_port   = 3284
  container_name  = "coder-${data.coder_workspace_owner.me.name}-${lower(data.coder_workspace.me.name)}"
}

data "coder_provisioner" "me" {}

data "coder_workspace" "me" {}

data "coder_workspace_owner" "me" {}

# The task this workspace runs (coder provider >= 2.13): its prompt, and whether this is a task at
# all. It replaces the older "AI Prompt" coder_parameter.
data "coder_task" "me" {}

resource "coder_agent" "main" {
  arch = data.coder_provisioner.me.arch
  os   = "linux"
  dir  = local.project_dir

  startup_script_behavior = "non-blocking"
  startup_script          = <<-EOT
    set -eu
    # Prepare the home directory on first start.
    if [ ! -f ~/.init_done ]; then
      cp -rT /etc/skel ~ || true
      touch ~/.init_done
    fi
    mkdir -p "${local.project_dir}"
  EOT

  env = {
    GIT_AUTHOR_NAME     = coalesce(data.coder_workspace_owner.me.full_name, local.username)
    GIT_AUTHOR_EMAIL    = data.coder_workspace_owner.me.email
    GIT_COMMITTER_NAME  = coalesce(data.coder_workspace_owner.me.full_name, local.username)
    GIT_COMMITTER_EMAIL = data.coder_workspace_owner.me.email
  }

  metadata {
    display_name = "CPU Usage"
    key          = "0_cpu_usage"
    script       = "coder stat cpu"
    interval     = 10
    timeout      = 1
  }

  metadata {
    display_name = "RAM Usage"
    key          = "1_ram_usage"
    script       = "coder stat mem"
    interval     = 10
    timeout      = 1
  }

  metadata {
    display_name = "Home Disk"
    key          = "2_home_disk"
    script       = "coder stat disk --path $HOME"
    interval     = 60
    timeout      = 1
  }

  metadata {
    display_name = "AgentAPI"
    key          = "3_agentapi_status"
    script       = "curl -fsS http://localhost:${local.agentapi_port}/status 2>/dev/null || echo down"
    interval     = 15
    timeout      = 2
  }
}

resource "coder_env" "anthropic_api_key" {
  count    = var.anthropic_api_key == "" ? 0 : 1
  agent_id = coder_agent.main.id
  name     = "ANTHROPIC_API_KEY"
  value    = var.anthropic_api_key
}

# The start script reads the prompt from the environment rather than from its own text.
resource "coder_env" "task_prompt" {
  agent_id = coder_agent.main.id
  name     = "AGENTAPI_TASK_PROMPT"
  value    = data.coder_task.me.prompt
}

module "agentapi" {
  source = "../../modules/agentapi"

  agent_id             = coder_agent.main.id
  web_app_slug         = "claude"
  web_app_display_name = "Claude Code"
  web_app_icon         = "/icon/claude.svg"
  web_app_order        = 1
  cli_app              = true
  cli_app_slug         = "claude-cli"
  cli_app_display_name = "Claude CLI"
  folder               = local.project_dir
  module_dir_name      = local.module_dir_name
  agentapi_port        = local.agentapi_port

  install_script = <<-EOT
    #!/bin/sh
    set -eu
    command -v claude >/dev/null 2>&1 || npm install -g @anthropic-ai/claude-code
  EOT

  start_script = <<-EOT
    #!/bin/sh
    set -eu
    cd "${local.project_dir}"
    # With enable_boundary the module exports AGENTAPI_BOUNDARY_PREFIX, a wrapper that runs its
    # arguments inside boundary; without it the variable is empty and claude runs as is.
    set -- claude
    if [ -n "$${AGENTAPI_BOUNDARY_PREFIX:-}" ]; then
      set -- "$AGENTAPI_BOUNDARY_PREFIX" claude
    fi
    if [ -n "$${AGENTAPI_TASK_PROMPT:-}" ]; then
      exec agentapi server --port ${local.agentapi_port} -- "$@" "$AGENTAPI_TASK_PROMPT"
    fi
    exec agentapi server --port ${local.agentapi_port} -- "$@"
  EOT

  # Conversation snapshot on stop (see README.md); the template admin decides with this variable.
  task_log_snapshot = var.task_log_snapshot

  # Boundary is off unless the template admin turns it on. To turn it on with a policy file:
  #   enable_boundary      = true
  #   boundary_config_path = "/home/coder/.config/coder_boundary/config.yaml"
  # and, to get boundary other than through the coder CLI's subcommand, one of
  #   use_boundary_directly        = true # boundary's release named by boundary_version ("latest")
  #   compile_boundary_from_source = true # a git ref in boundary_version; needs git, make, go, sudo
  enable_boundary = var.enable_boundary
}

# Makes this a Tasks template: the task's chat is the module's web app.
resource "coder_ai_task" "task" {
  count  = data.coder_workspace.me.start_count
  app_id = module.agentapi.task_app_id
}

resource "docker_volume" "home" {
  name = "coder-${data.coder_workspace.me.id}-home"
  # Keep the volume (and the agent's state in it) when attributes change.
  lifecycle {
    ignore_changes = all
  }
  labels {
    label = "coder.owner"
    value = data.coder_workspace_owner.me.name
  }
  labels {
    label = "coder.workspace_id"
    value = data.coder_workspace.me.id
  }
}

resource "docker_container" "workspace" {
  count    = data.coder_workspace.me.start_count
  image    = var.container_image
  name     = local.container_name
  hostname = data.coder_workspace.me.name
  user     = "coder"
  # The agent's init script downloads and starts the agent; reach a local Coder through the Docker host.
  entrypoint = ["sh", "-c", replace(coder_agent.main.init_script, "/localhost|127\\.0\\.0\\.1/", "host.docker.internal")]
  env = [
    "CODER_AGENT_TOKEN=${coder_agent.main.token}",
  ]

  # Stop (SIGTERM, then wait) before removing, so the agent runs its stop scripts, the AgentAPI
  # shutdown and log snapshot among them (at most 8 s with the module's default timeouts).
  destroy_grace_seconds = 15
  stop_timeout          = 15
  stop_signal           = "SIGTERM"

  host {
    host = "host.docker.internal"
    ip   = "host-gateway"
  }
  volumes {
    container_path = local.home
    volume_name    = docker_volume.home.name
    read_only      = false
  }
  labels {
    label = "coder.owner"
    value = data.coder_workspace_owner.me.name
  }
  labels {
    label = "coder.workspace_id"
    value = data.coder_workspace.me.id
  }
  labels {
    label = "coder.workspace_name"
    value = data.coder_workspace.me.name
  }
}

# What the module's scripts will run with, readable in `terraform plan` (the coder_script bodies are
# base64): e.g. shutdown.ARG_TASK_LOG_SNAPSHOT. `agentapi-kit conformance --template . --explain`
# prints the same per script.
output "agentapi_script_inputs" {
  value = module.agentapi.script_inputs
}
