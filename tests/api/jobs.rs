use crate::helpers::spawn_app;
use atelier::server::db::{self, DbError};
use atelier::server::jobs::{self, Outcome};
use atelier::server::mail::{self, Email};

fn message(to: &str) -> Email {
    Email { to: to.into(), subject: "Hello".into(), html: "<p>Hi</p>".into(), text: "Hi".into() }
}

#[tokio::test]
async fn mail_queued_during_an_smtp_outage_arrives_once_when_it_is_back() {
    let app = spawn_app().await;
    app.mail.stop();
    app.state.db.run(|c| mail::enqueue(c, &message("ina@example.com"))).await.unwrap();

    let outcomes = app.drain_jobs().await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Retrying { .. }]), "{outcomes:?}");
    let last_error: String = app
        .state
        .db
        .run(|c| -> Result<String, DbError> { Ok(c.query_row("SELECT last_error FROM jobs", [], |r| r.get(0))?) })
        .await
        .unwrap();
    assert!(last_error.contains("SMTP"), "{last_error}");

    let _back = app.mail.restart().await;
    // Time passes: the retry is due.
    app.state.db.run(|c| -> Result<usize, DbError> { Ok(c.execute("UPDATE jobs SET run_at = 0", [])?) }).await.unwrap();
    let outcomes = app.drain_jobs().await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Done { .. }]), "{outcomes:?}");
    assert!(app.drain_jobs().await.is_empty());
    assert_eq!(app.mail.to("ina@example.com").len(), 1);
}

#[tokio::test]
async fn a_job_whose_worker_died_mid_run_runs_again_after_its_lease() {
    let app = spawn_app().await;
    app.state.db.run(|c| mail::enqueue(c, &message("joko@example.com"))).await.unwrap();
    // A worker claims the job and dies before finishing.
    let claimed = app.state.db.run(|c| jobs::claim(c, db::now())).await.unwrap();
    assert!(claimed.is_some());

    assert!(app.drain_jobs().await.is_empty(), "another worker leaves a leased job alone");
    assert!(app.mail.received().is_empty());

    app.state
        .db
        .run(|c| -> Result<usize, DbError> { Ok(c.execute("UPDATE jobs SET locked_until = ?1", [db::now() - 1])?) })
        .await
        .unwrap();
    let outcomes = app.drain_jobs().await;
    assert!(matches!(outcomes.as_slice(), [Outcome::Done { .. }]), "{outcomes:?}");
    assert_eq!(app.mail.to("joko@example.com").len(), 1);
}

#[tokio::test]
async fn a_permanently_refused_message_is_dead_with_its_error_and_can_be_retried() {
    let app = spawn_app().await;
    app.state.db.run(|c| mail::enqueue(c, &message("not an address"))).await.unwrap();
    let outcomes = app.drain_jobs().await;
    let [Outcome::Dead { id }] = outcomes.as_slice() else { panic!("{outcomes:?}") };
    let id = *id;
    let (status, error): (String, String) = app
        .state
        .db
        .run(move |c| -> Result<_, DbError> {
            Ok(c.query_row("SELECT status, last_error FROM jobs WHERE id = ?1", [id], |r| Ok((r.get(0)?, r.get(1)?)))?)
        })
        .await
        .unwrap();
    assert_eq!(status, "dead");
    assert!(error.contains("not valid"), "{error}");
    assert!(app.state.db.run(move |c| jobs::retry(c, id)).await.unwrap());
    assert!(!app.state.db.run(move |c| jobs::retry(c, id)).await.unwrap(), "only dead jobs are retried");
}
