//! GitHub repository access for `github_invite` deliveries, through octocrab's
//! generic calls (it has no typed collaborator API). `GITHUB_API_URL` points it
//! anywhere (tests use a fake on 127.0.0.1).

use crate::server::config::GithubConfig;
use octocrab::Octocrab;
use serde_json::Value;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::Arc;

#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    /// Worth retrying: outages, rate limits, missing configuration.
    #[error("{0}")]
    Transient(String),
    /// Needs a person: unknown user or repository, no permission, invalid request.
    #[error("{0}")]
    Permanent(String),
    /// GitHub's rate limit is spent until `until` (unix seconds): nothing is sent before then.
    #[error("GitHub's rate limit is reached; calls wait until {}", crate::domain::time::format_time(*until))]
    RateLimited { until: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invite {
    /// 201: an invitation was created.
    Sent { user_id: i64, invitation_id: Option<i64> },
    /// 204: the user already has access.
    AlreadyCollaborator { user_id: i64 },
}

/// One client for the process: calls are made one at a time (GitHub asks
/// integrations not to call concurrently), and after GitHub says its rate limit is
/// spent, nothing is sent until the reset it named.
#[derive(Clone)]
pub struct Github {
    client: Option<Octocrab>,
    turn: Arc<tokio::sync::Semaphore>,
    paused_until: Arc<AtomicI64>,
}

fn classify(status: u16, what: &str, body: &str) -> GithubError {
    let message: String = serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["message"].as_str().map(str::to_owned))
        .unwrap_or_else(|| body.chars().take(200).collect());
    let rate_limited = status == 429 || (status == 403 && message.to_ascii_lowercase().contains("rate limit"));
    if rate_limited || status >= 500 {
        GithubError::Transient(format!("{what}: GitHub answered {status} ({message}); will retry"))
    } else {
        GithubError::Permanent(format!("{what}: GitHub answered {status} ({message})"))
    }
}

impl Github {
    pub fn from_config(config: &GithubConfig) -> anyhow::Result<Self> {
        let client = match &config.pat {
            None => None,
            Some(pat) => Some(
                Octocrab::builder()
                    .base_uri(config.api_url.as_str())?
                    .personal_token(pat.expose().to_owned())
                    .build()?,
            ),
        };
        Ok(Self { client, turn: Arc::new(tokio::sync::Semaphore::new(1)), paused_until: Arc::default() })
    }

    fn client(&self) -> Result<&Octocrab, GithubError> {
        self.client.as_ref().ok_or_else(|| {
            GithubError::Transient("GITHUB_PAT is not set: GitHub invitations wait until it is configured".into())
        })
    }

    async fn call(&self, method: &str, route: &str, body: Option<&Value>) -> Result<(u16, String), GithubError> {
        let client = self.client()?;
        let _turn = self.turn.acquire().await.map_err(|_| GithubError::Transient("shutting down".into()))?;
        let now = crate::server::db::now();
        let paused_until = self.paused_until.load(Ordering::Relaxed);
        if paused_until > now {
            return Err(GithubError::RateLimited { until: paused_until });
        }
        let response = match method {
            "GET" => client._get(route).await,
            "PUT" => client._put(route, body).await,
            _ => client._delete(route, body).await,
        }
        .map_err(|e| GithubError::Transient(format!("GitHub could not be reached: {e}")))?;
        let status = response.status().as_u16();
        let header = |name: &str| -> Option<i64> { response.headers().get(name)?.to_str().ok()?.trim().parse().ok() };
        let (remaining, reset, retry_after) =
            (header("x-ratelimit-remaining"), header("x-ratelimit-reset"), header("retry-after"));
        // Primary limit: 403/429 with no calls remaining; secondary limit: 403/429 with `retry-after`.
        if matches!(status, 403 | 429) && (remaining == Some(0) || retry_after.is_some()) {
            let until = retry_after.map(|s| now + s.clamp(1, 3600)).or(reset).unwrap_or(now + 60).max(now + 1);
            self.paused_until.store(until, Ordering::Relaxed);
            tracing::warn!(status, until, "GitHub rate limit reached: GitHub calls paused");
            return Err(GithubError::RateLimited { until });
        }
        if remaining == Some(0) {
            // That was the last call of this window: wait for the reset before the next one.
            if let Some(reset) = reset {
                self.paused_until.store(reset, Ordering::Relaxed);
            }
        }
        let text = client.body_to_string(response).await.unwrap_or_default();
        Ok((status, text))
    }

    /// The token's owner and scopes (`GET /user`; a fine-grained token lists none), or why GitHub refused it.
    pub async fn token_check(&self) -> Result<(String, Option<Vec<String>>), GithubError> {
        let client = self.client()?;
        let response = client
            ._get("/user")
            .await
            .map_err(|e| GithubError::Transient(format!("GitHub could not be reached: {e}")))?;
        let status = response.status().as_u16();
        let scopes = response
            .headers()
            .get("x-oauth-scopes")
            .and_then(|v| v.to_str().ok())
            .map(|v| v.split(',').map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()).collect());
        let text = client.body_to_string(response).await.unwrap_or_default();
        if status != 200 {
            return Err(GithubError::Permanent(format!("GitHub refused the token (HTTP {status})")));
        }
        let login = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v.get("login").and_then(Value::as_str).map(str::to_owned))
            .unwrap_or_default();
        Ok((login, scopes))
    }

    /// Invites `username` to `owner/repo` with read (`pull`) access.
    pub async fn invite(&self, repo: &str, username: &str) -> Result<Invite, GithubError> {
        let (status, body) = self.call("GET", &format!("/users/{username}"), None).await?;
        if status != 200 {
            return Err(classify(status, &format!("looking up @{username}"), &body));
        }
        let user_id = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v["id"].as_i64())
            .ok_or_else(|| GithubError::Transient(format!("GitHub answered an unreadable user for @{username}")))?;
        let permission = serde_json::json!({ "permission": "pull" });
        let route = format!("/repos/{repo}/collaborators/{username}");
        let (status, body) = self.call("PUT", &route, Some(&permission)).await?;
        match status {
            201 => {
                let invitation_id = serde_json::from_str::<Value>(&body).ok().and_then(|v| v["id"].as_i64());
                Ok(Invite::Sent { user_id, invitation_id })
            }
            204 => Ok(Invite::AlreadyCollaborator { user_id }),
            other => Err(classify(other, &format!("inviting @{username} to {repo}"), &body)),
        }
    }

    /// Whether `username` has accepted and now has access to `owner/repo`.
    pub async fn has_access(&self, repo: &str, username: &str) -> Result<bool, GithubError> {
        let (status, body) = self.call("GET", &format!("/repos/{repo}/collaborators/{username}"), None).await?;
        match status {
            204 => Ok(true),
            404 => Ok(false),
            other => Err(classify(other, &format!("checking @{username}'s access to {repo}"), &body)),
        }
    }

    /// Cancels the pending invitation of the account with GitHub id `user_id`, or
    /// removes that account as a collaborator. The id decides, not the name: an
    /// account renamed since the invitation (`login` is the name it had) is found
    /// under its new name, and an account deleted since has nothing to remove.
    pub async fn revoke(&self, repo: &str, user_id: i64, login: &str) -> Result<(), GithubError> {
        let (status, body) = self.call("GET", &format!("/repos/{repo}/invitations"), None).await?;
        if status != 200 {
            return Err(classify(status, &format!("listing invitations of {repo}"), &body));
        }
        let pending = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v.as_array().cloned())
            .unwrap_or_default()
            .into_iter()
            .find(|i| i["invitee"]["id"].as_i64() == Some(user_id))
            .and_then(|i| i["id"].as_i64());
        let route = match pending {
            Some(id) => format!("/repos/{repo}/invitations/{id}"),
            None => {
                let (status, body) = self.call("GET", &format!("/user/{user_id}"), None).await?;
                let current = match status {
                    200 => {
                        serde_json::from_str::<Value>(&body).ok().and_then(|v| v["login"].as_str().map(str::to_owned))
                    }
                    404 => return Ok(()),
                    other => {
                        return Err(classify(other, &format!("looking up GitHub account {user_id} (@{login})"), &body))
                    }
                };
                let current = current.ok_or_else(|| {
                    GithubError::Transient(format!("GitHub answered an unreadable user for account {user_id}"))
                })?;
                format!("/repos/{repo}/collaborators/{current}")
            }
        };
        let (status, body) = self.call("DELETE", &route, None).await?;
        match status {
            204 | 404 => Ok(()),
            other => Err(classify(other, &format!("removing @{login} (account {user_id}) from {repo}"), &body)),
        }
    }
}
