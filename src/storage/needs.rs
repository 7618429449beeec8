//! Qualified needs: their sources and the dated history of their status.

use std::collections::HashMap;

use sqlx::FromRow;

use super::audit::insert_audit;
use super::decode::{corrupt, parse_date};
use super::links::{LinkTable, replace_links};
use super::{StorageError, TerritoryStorage, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::needs::{Need, NeedDraft, NeedSource, NeedStatus, Organisation, StatusChange};

/// A source to attach to a need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NewSource {
    Report(i64),
    Answer {
        response_id: i64,
        question_id: i64,
    },
    /// A pattern seen in a closed question's results, described in the note.
    Question {
        question_id: i64,
        note: String,
    },
}

#[derive(FromRow)]
struct NeedRow {
    id: i64,
    title: String,
    description: String,
    theme_code: String,
    status: String,
    created_at: i64,
    updated_at: i64,
}

#[derive(FromRow)]
struct SourceRow {
    id: i64,
    report_id: Option<i64>,
    response_id: Option<i64>,
    question_id: Option<i64>,
    note: String,
    survey_id: Option<i64>,
    summary: Option<String>,
    report_author: Option<i64>,
    organisation: Option<String>,
    observed_on: Option<String>,
    reviewed: bool,
}

fn status(code: &str) -> Result<NeedStatus, StorageError> {
    NeedStatus::parse(code).map_err(|_| corrupt("need status"))
}

const NEED_COMMUNES: LinkTable = LinkTable {
    table: "need_commune",
    owner: "need_id",
    value: "commune_code",
    scoped: true,
};

const NEED_PUBLICS: LinkTable = LinkTable {
    table: "need_public",
    owner: "need_id",
    value: "public_code",
    scoped: true,
};

/// Writes a need's communes and publics (replacing any) inside a transaction.
macro_rules! write_need_links {
    ($tx:expr, $territory:expr, $id:expr, $draft:expr) => {{
        replace_links!($tx, NEED_COMMUNES, $territory, $id, &$draft.communes);
        replace_links!($tx, NEED_PUBLICS, $territory, $id, &$draft.publics);
    }};
}

/// Attaches a source inside a transaction if what it names exists in territory
/// `$territory`; evaluates to whether it was attached.
macro_rules! insert_source {
    ($tx:expr, $territory:expr, $need:expr, $source:expr, $now:expr) => {{
        let (report, response, question, note): (Option<i64>, Option<i64>, Option<i64>, String) = match $source {
            NewSource::Report(id) => (Some(*id), None, None, String::new()),
            NewSource::Answer { response_id, question_id } => (None, Some(*response_id), Some(*question_id), String::new()),
            NewSource::Question { question_id, note } => (None, None, Some(*question_id), note.clone()),
        };
        sqlx::query(
            "INSERT INTO need_source (need_id, report_id, response_id, question_id, note, added_at) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE \
               ($2 IS NULL OR EXISTS (SELECT 1 FROM field_report WHERE id = $2 AND territory_id = $7)) \
               AND ($3 IS NULL OR EXISTS (SELECT 1 FROM answer WHERE response_id = $3 AND question_id = $4)) \
               AND ($4 IS NULL OR EXISTS (SELECT 1 FROM question WHERE id = $4 AND territory_id = $7)) \
               AND NOT EXISTS (SELECT 1 FROM need_source WHERE need_id = $1 \
                   AND COALESCE(report_id, 0) = COALESCE($2, 0) AND COALESCE(response_id, 0) = COALESCE($3, 0) \
                   AND COALESCE(question_id, 0) = COALESCE($4, 0))",
        )
        .bind($need)
        .bind(report)
        .bind(response)
        .bind(question)
        .bind(note)
        .bind($now)
        .bind($territory)
        .execute(&mut *$tx)
        .await?
        .rows_affected() > 0
    }};
}

impl TerritoryStorage {
    /// Creates a need, "signalé", with its first sources. Returns its id.
    pub async fn create_need(
        &self,
        draft: &NeedDraft,
        sources: &[NewSource],
        actor: &Actor,
    ) -> Result<i64, StorageError> {
        self.create_need_at(draft, sources, actor, now_unix()).await
    }

    /// [`Storage::create_need`] as if done at `now` (Unix seconds): for data that
    /// tells a past year, such as the demo's.
    pub async fn create_need_at(
        &self,
        draft: &NeedDraft,
        sources: &[NewSource],
        actor: &Actor,
        now: i64,
    ) -> Result<i64, StorageError> {
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO need (title, description, theme_code, status, created_by, created_at, updated_at, territory_id) \
                 VALUES ($1, $2, $3, 'signale', $4, $5, $5, $6) RETURNING id",
            )
            .bind(&draft.title)
            .bind(&draft.description)
            .bind(&draft.theme)
            .bind(actor.id())
            .bind(now)
            .bind(self.key())
            .fetch_one(&mut *tx)
            .await?;
            write_need_links!(tx, self.key(), id, draft);
            for source in sources {
                if !insert_source!(tx, self.key(), id, source, now) {
                    tracing::warn!(need = id, ?source, "need source not found; not attached");
                }
            }
            sqlx::query("INSERT INTO need_status_change (need_id, status, changed_by, changed_by_label, changed_at) VALUES ($1, 'signale', $2, $3, $4)")
                .bind(id).bind(actor.id()).bind(actor.label()).bind(now).execute(&mut *tx).await?;
            let entry = AuditEntry::new(actor, AuditAction::NeedCreated).object("need", id).detail(&draft.title);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn update_need(
        &self,
        id: i64,
        draft: &NeedDraft,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query("UPDATE need SET title = $2, description = $3, theme_code = $4, updated_at = $5 WHERE id = $1 AND territory_id = $6")
                .bind(id).bind(&draft.title).bind(&draft.description).bind(&draft.theme).bind(now).bind(self.key())
                .execute(&mut *tx).await?.rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            write_need_links!(tx, self.key(), id, draft);
            insert_audit!(tx, &AuditEntry::new(actor, AuditAction::NeedUpdated).object("need", id).detail(&draft.title), now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Moves a need to `status`, keeping a dated line of history with who and why.
    pub async fn set_need_status(
        &self,
        id: i64,
        status: NeedStatus,
        note: &str,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        self.set_need_status_at(id, status, note, actor, now_unix())
            .await
    }

    /// [`Storage::set_need_status`] as if done at `now` (Unix seconds).
    pub async fn set_need_status_at(
        &self,
        id: i64,
        status: NeedStatus,
        note: &str,
        actor: &Actor,
        now: i64,
    ) -> Result<bool, StorageError> {
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query("UPDATE need SET status = $2, updated_at = $3 WHERE id = $1 AND territory_id = $4 AND status <> $2")
                .bind(id).bind(status.code()).bind(now).bind(self.key()).execute(&mut *tx).await?.rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            sqlx::query("INSERT INTO need_status_change (need_id, status, note, changed_by, changed_by_label, changed_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(status.code()).bind(note).bind(actor.id()).bind(actor.label()).bind(now)
                .execute(&mut *tx).await?;
            let entry = AuditEntry::new(actor, AuditAction::NeedStatusChanged).object("need", id).detail(status.label());
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Attaches a source; `false` if the need or the source does not exist, or it is
    /// attached already.
    pub async fn add_need_source(
        &self,
        id: i64,
        source: &NewSource,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM need WHERE id = $1 AND territory_id = $2")
                .bind(id).bind(self.key()).fetch_optional(&mut *tx).await?;
            if exists.is_none() || !insert_source!(tx, self.key(), id, source, now) {
                return Ok(false);
            }
            sqlx::query("UPDATE need SET updated_at = $2 WHERE id = $1").bind(id).bind(now).execute(&mut *tx).await?;
            insert_audit!(tx, &AuditEntry::new(actor, AuditAction::NeedSourceAdded).object("need", id), now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Needs, most recently changed first, optionally of one status.
    pub async fn needs(&self, only: Option<NeedStatus>) -> Result<Vec<Need>, StorageError> {
        self.load_needs(only, None).await
    }

    /// One need with its sources and its status history (oldest first).
    pub async fn need(
        &self,
        id: i64,
    ) -> Result<Option<(Need, Vec<NeedSource>, Vec<StatusChange>)>, StorageError> {
        let Some(need) = self.load_needs(None, Some(id)).await?.pop() else {
            return Ok(None);
        };
        let (sources, history) = on_pool!(self.storage, pool => {
            let sources: Vec<SourceRow> = sqlx::query_as(
                "SELECT s.id, s.report_id, s.response_id, s.question_id, s.note, q.survey_id, \
                 COALESCE(r.observed, a.value_text, q.label) AS summary, r.created_by AS report_author, \
                 r.organisation, r.observed_on, COALESCE(t.reviewed, FALSE) AS reviewed \
                 FROM need_source s LEFT JOIN field_report r ON r.id = s.report_id \
                 LEFT JOIN question q ON q.id = s.question_id \
                 LEFT JOIN answer a ON a.response_id = s.response_id AND a.question_id = s.question_id \
                 LEFT JOIN text_review t ON t.response_id = s.response_id AND t.question_id = s.question_id \
                 WHERE s.need_id = $1 ORDER BY s.id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            let history: Vec<(String, String, String, i64)> = sqlx::query_as(
                "SELECT status, note, changed_by_label, changed_at FROM need_status_change WHERE need_id = $1 ORDER BY changed_at, id",
            )
            .bind(id)
            .fetch_all(pool)
            .await?;
            (sources, history)
        });
        let mut kept = Vec::with_capacity(sources.len());
        for row in sources {
            let summary = row.summary.unwrap_or_default();
            let source = match (
                row.report_id,
                row.response_id,
                row.question_id,
                row.survey_id,
            ) {
                (Some(report_id), _, _, _) => NeedSource::Report {
                    source_id: row.id,
                    report_id,
                    summary,
                    author: row.report_author.unwrap_or_default(),
                    organisation: Organisation::parse(row.organisation.as_deref().unwrap_or(""))
                        .map_err(|_| StorageError::Corrupt("organisation".into()))?,
                    observed_on: parse_date(row.observed_on.as_deref().unwrap_or(""))?,
                },
                (None, Some(response_id), Some(question_id), Some(survey_id)) => {
                    NeedSource::Answer {
                        source_id: row.id,
                        response_id,
                        question_id,
                        survey_id,
                        text: summary,
                        reviewed: row.reviewed,
                    }
                }
                (None, None, Some(question_id), Some(survey_id)) => NeedSource::Question {
                    source_id: row.id,
                    question_id,
                    survey_id,
                    label: summary,
                    note: row.note,
                },
                _ => continue,
            };
            kept.push(source);
        }
        let sources = kept;
        let history = history
            .into_iter()
            .map(|(code, note, changed_by, changed_at)| {
                Ok(StatusChange {
                    status: status(&code)?,
                    note,
                    changed_by,
                    changed_at,
                })
            })
            .collect::<Result<_, StorageError>>()?;
        Ok(Some((need, sources, history)))
    }

    async fn load_needs(
        &self,
        only: Option<NeedStatus>,
        id: Option<i64>,
    ) -> Result<Vec<Need>, StorageError> {
        let (rows, communes, publics) = on_pool!(self.storage, pool => {
            let rows: Vec<NeedRow> = sqlx::query_as(
                "SELECT id, title, description, theme_code, status, created_at, updated_at FROM need \
                 WHERE territory_id = $3 AND ($1 IS NULL OR status = $1) AND ($2 IS NULL OR id = $2) \
                 ORDER BY updated_at DESC, id DESC",
            )
            .bind(only.map(|s| s.code()))
            .bind(id)
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let communes: Vec<(i64, String)> = sqlx::query_as("SELECT need_id, commune_code FROM need_commune WHERE territory_id = $2 AND ($1 IS NULL OR need_id = $1)")
                .bind(id).bind(self.key()).fetch_all(pool).await?;
            let publics: Vec<(i64, String)> = sqlx::query_as("SELECT need_id, public_code FROM need_public WHERE territory_id = $2 AND ($1 IS NULL OR need_id = $1)")
                .bind(id).bind(self.key()).fetch_all(pool).await?;
            (rows, communes, publics)
        });
        let group = |pairs: Vec<(i64, String)>| {
            let mut map: HashMap<i64, Vec<String>> = HashMap::new();
            for (id, code) in pairs {
                map.entry(id).or_default().push(code);
            }
            map
        };
        let (mut communes, mut publics) = (group(communes), group(publics));
        rows.into_iter()
            .map(|row| {
                Ok(Need {
                    status: status(&row.status)?,
                    communes: communes.remove(&row.id).unwrap_or_default(),
                    publics: publics.remove(&row.id).unwrap_or_default(),
                    id: row.id,
                    title: row.title,
                    description: row.description,
                    theme: row.theme_code,
                    created_at: row.created_at,
                    updated_at: row.updated_at,
                })
            })
            .collect()
    }
}
