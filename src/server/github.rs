//! GitHub repository access for `github_invite` deliveries, through octocrab's
//! generic calls (it has no typed collaborator API). `GITHUB_API_URL` points it
//! anywhere (tests use a fake on 127.0.0.1).

use super::config::GithubConfig;
use octocrab::Octocrab;
use serde_json::Value;

#[derive(Debug, thiserror::Error)]
pub enum GithubError {
    /// Worth retrying: outages, rate limits, missing configuration.
    #[error("{0}")]
    Transient(String),
    /// Needs a person: unknown user or repository, no permission, invalid request.
    #[error("{0}")]
    Permanent(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invite {
    /// 201: an invitation was created.
    Sent { user_id: i64, invitation_id: Option<i64> },
    /// 204: the user already has access.
    AlreadyCollaborator { user_id: i64 },
}

#[derive(Clone)]
pub struct Github {
    client: Option<Octocrab>,
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
        let Some(pat) = &config.pat else { return Ok(Self { client: None }) };
        let client = Octocrab::builder().base_uri(config.api_url.as_str())?.personal_token(pat.clone()).build()?;
        Ok(Self { client: Some(client) })
    }

    fn client(&self) -> Result<&Octocrab, GithubError> {
        self.client.as_ref().ok_or_else(|| {
            GithubError::Transient("GITHUB_PAT is not set: GitHub invitations wait until it is configured".into())
        })
    }

    async fn call(&self, method: &str, route: &str, body: Option<&Value>) -> Result<(u16, String), GithubError> {
        let client = self.client()?;
        let response = match method {
            "GET" => client._get(route).await,
            "PUT" => client._put(route, body).await,
            _ => client._delete(route, body).await,
        }
        .map_err(|e| GithubError::Transient(format!("GitHub could not be reached: {e}")))?;
        let status = response.status().as_u16();
        let text = client.body_to_string(response).await.unwrap_or_default();
        Ok((status, text))
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
