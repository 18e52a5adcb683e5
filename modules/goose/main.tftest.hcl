# Plan-only tests in the registry's style: with the real coder/coder provider, or offline with
# agentapi-kit's stand-in (`eval "$(agentapi-kit terraform-env)"`, `terraform init`, `terraform test`).

variables {
  agent_id       = "8f1e3c52-4b2a-4d1e-9c3a-2f6b7d8e9a01"
  goose_provider = "test-goose_provider"
  goose_model    = "test-goose_model"
}

run "defaults" {
  command = plan

  assert {
    condition     = strcontains(local.start_script, "exec agentapi server --type=goose ")
    error_message = "the start script runs Goose under agentapi server"
  }

  assert {
    condition     = strcontains(local.start_script, "ARG_GOOSE_PROVIDER='")
    error_message = "the start script gets goose_provider as ARG_GOOSE_PROVIDER"
  }

  assert {
    condition     = strcontains(local.start_script, "ARG_GOOSE_MODEL='")
    error_message = "the start script gets goose_model as ARG_GOOSE_MODEL"
  }

  assert {
    condition     = strcontains(local.start_script, "ARG_INSTALL_GOOSE='")
    error_message = "the start script gets install_goose as ARG_INSTALL_GOOSE"
  }
}

run "prompt_from_the_task" {
  command = plan

  override_data {
    target = data.coder_task.me
    values = {
      enabled = true
      prompt  = "it's a task"
    }
  }

  assert {
    condition     = strcontains(local.start_script, "ARG_PROMPT='it'\\''s a task'")
    error_message = "the task's prompt reaches the start script, POSIX-quoted"
  }
}

run "no_prompt_outside_a_task" {
  command = plan

  override_data {
    target = data.coder_task.me
    values = {
      enabled = false
      prompt  = "left over"
    }
  }

  assert {
    condition     = strcontains(local.start_script, "ARG_PROMPT=''")
    error_message = "outside a task the start script gets no prompt"
  }
}

run "agentapi_validation_passes_through" {
  command = plan

  variables {
    agentapi_subdomain = false
    agentapi_version   = "v0.3.0"
  }

  expect_failures = [var.agentapi_subdomain]
}
