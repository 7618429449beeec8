//! Observatory meetings: agenda, attendance, notes, decisions, and the frozen board.

use std::collections::HashMap;

use sqlx::FromRow;

use super::audit::insert_audit;
use super::decode::{corrupt, parse_date};
use super::links::{LinkTable, replace_links};
use super::{StorageError, TerritoryStorage, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::needs::{
    Attendance, Decision, DecisionDraft, DecisionStatus, Meeting, MeetingDraft, MeetingKind,
};

#[derive(FromRow)]
struct MeetingRow {
    id: i64,
    kind: String,
    title: String,
    theme_code: Option<String>,
    held_on: String,
    place: String,
    notes: String,
    invited_elus: i32,
    present_elus: i32,
    invited_professionnels: i32,
    present_professionnels: i32,
    invited_partenaires: i32,
    present_partenaires: i32,
    invited_habitants: i32,
    present_habitants: i32,
    snapshot: Option<String>,
    snapshot_at: Option<i64>,
}

#[derive(FromRow)]
struct DecisionRow {
    id: i64,
    meeting_id: i64,
    action_number: i32,
    need_id: Option<i64>,
    need_title: Option<String>,
    what: String,
    owner: String,
    due_on: Option<String>,
    status: String,
}

/// A decision with where it was taken and the communes of the need it answers, for the
/// public "vous avez dit, nous avons fait" page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicDecision {
    pub decision: Decision,
    pub meeting_kind: MeetingKind,
    pub meeting_title: String,
    pub held_on: time::Date,
    pub communes: Vec<String>,
}

const MEETING_COLUMNS: &str = "id, kind, title, theme_code, held_on, place, notes, invited_elus, present_elus, \
     invited_professionnels, present_professionnels, invited_partenaires, present_partenaires, \
     invited_habitants, present_habitants, snapshot, snapshot_at";

impl MeetingRow {
    fn into_meeting(self, agenda: Vec<i64>) -> Result<Meeting, StorageError> {
        let n = i64::from;
        Ok(Meeting {
            kind: MeetingKind::parse(&self.kind).map_err(|_| corrupt("meeting kind"))?,
            held_on: parse_date(&self.held_on)?,
            attendance: Attendance {
                invited: [
                    n(self.invited_elus),
                    n(self.invited_professionnels),
                    n(self.invited_partenaires),
                    n(self.invited_habitants),
                ],
                present: [
                    n(self.present_elus),
                    n(self.present_professionnels),
                    n(self.present_partenaires),
                    n(self.present_habitants),
                ],
            },
            id: self.id,
            title: self.title,
            theme: self.theme_code,
            place: self.place,
            notes: self.notes,
            agenda,
            snapshot: self.snapshot,
            snapshot_at: self.snapshot_at,
        })
    }
}

impl DecisionRow {
    fn into_decision(self) -> Result<Decision, StorageError> {
        Ok(Decision {
            status: DecisionStatus::parse(&self.status).map_err(|_| corrupt("decision status"))?,
            due_on: self.due_on.as_deref().map(parse_date).transpose()?,
            id: self.id,
            meeting_id: self.meeting_id,
            action_number: self.action_number,
            need_id: self.need_id,
            need_title: self.need_title,
            what: self.what,
            owner: self.owner,
        })
    }
}

/// The needs on a meeting's agenda.
const MEETING_AGENDA: LinkTable = LinkTable {
    table: "meeting_need",
    owner: "meeting_id",
    value: "need_id",
    // meeting_need has no territory_id: an agenda goes through its meeting.
    scoped: false,
};

/// Writes the meeting fields and its agenda inside a transaction.
macro_rules! write_meeting {
    ($tx:expr, $territory:expr, $id:expr, $draft:expr, $now:expr) => {{
        let a = &$draft.attendance;
        let c = |v: i64| i32::try_from(v).unwrap_or(i32::MAX);
        sqlx::query(
            "UPDATE meeting SET kind = $2, title = $3, theme_code = $4, held_on = $5, place = $6, notes = $7, \
             invited_elus = $8, present_elus = $9, invited_professionnels = $10, present_professionnels = $11, \
             invited_partenaires = $12, present_partenaires = $13, invited_habitants = $14, present_habitants = $15, \
             updated_at = $16 WHERE id = $1 AND territory_id = $17",
        )
        .bind($id)
        .bind($draft.kind.code())
        .bind(&$draft.title)
        .bind($draft.theme.as_deref())
        .bind($draft.held_on.to_string())
        .bind(&$draft.place)
        .bind(&$draft.notes)
        .bind(c(a.invited[0])).bind(c(a.present[0]))
        .bind(c(a.invited[1])).bind(c(a.present[1]))
        .bind(c(a.invited[2])).bind(c(a.present[2]))
        .bind(c(a.invited[3])).bind(c(a.present[3]))
        .bind($now)
        .bind($territory)
        .execute(&mut *$tx)
        .await?;
        replace_links!($tx, MEETING_AGENDA, $territory, $id, &$draft.agenda);
    }};
}

impl TerritoryStorage {
    pub async fn create_meeting(
        &self,
        draft: &MeetingDraft,
        actor: &Actor,
    ) -> Result<i64, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO meeting (kind, title, held_on, created_by, created_at, updated_at, territory_id) \
                 VALUES ($1, $2, $3, $4, $5, $5, $6) RETURNING id",
            )
            .bind(draft.kind.code())
            .bind(&draft.title)
            .bind(draft.held_on.to_string())
            .bind(actor.id())
            .bind(now)
            .bind(self.key())
            .fetch_one(&mut *tx)
            .await?;
            write_meeting!(tx, self.key(), id, draft, now);
            insert_audit!(tx, &AuditEntry::new(actor, AuditAction::MeetingCreated).object("meeting", id).detail(&draft.title), now, Some(self.key()))?;
            tx.commit().await?;
            Ok(id)
        })
    }

    pub async fn update_meeting(
        &self,
        id: i64,
        draft: &MeetingDraft,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM meeting WHERE id = $1 AND territory_id = $2")
                .bind(id).bind(self.key()).fetch_optional(&mut *tx).await?;
            if exists.is_none() {
                return Ok(false);
            }
            write_meeting!(tx, self.key(), id, draft, now);
            insert_audit!(tx, &AuditEntry::new(actor, AuditAction::MeetingUpdated).object("meeting", id), now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Freezes the needs board as the meeting saw it (JSON of a `Board`).
    pub async fn freeze_meeting_board(
        &self,
        id: i64,
        snapshot: &str,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        self.freeze_meeting_board_at(id, snapshot, actor, now_unix())
            .await
    }

    /// [`Storage::freeze_meeting_board`] as if done at `now` (Unix seconds): for data
    /// that tells a past year, such as the demo's.
    pub async fn freeze_meeting_board_at(
        &self,
        id: i64,
        snapshot: &str,
        actor: &Actor,
        now: i64,
    ) -> Result<bool, StorageError> {
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query("UPDATE meeting SET snapshot = $2, snapshot_at = $3 WHERE id = $1 AND territory_id = $4")
                .bind(id).bind(snapshot).bind(now).bind(self.key()).execute(&mut *tx).await?.rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            insert_audit!(tx, &AuditEntry::new(actor, AuditAction::MeetingSnapshot).object("meeting", id), now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Meetings, most recent first.
    pub async fn meetings(&self) -> Result<Vec<Meeting>, StorageError> {
        self.load_meetings(None).await
    }

    /// A meeting and its decisions.
    pub async fn meeting(&self, id: i64) -> Result<Option<(Meeting, Vec<Decision>)>, StorageError> {
        let Some(meeting) = self.load_meetings(Some(id)).await?.pop() else {
            return Ok(None);
        };
        let rows: Vec<DecisionRow> = on_pool!(self.storage, pool => sqlx::query_as(
            "SELECT d.id, d.meeting_id, d.action_number, d.need_id, n.title AS need_title, d.what, d.owner, d.due_on, d.status \
             FROM decision d LEFT JOIN need n ON n.id = d.need_id WHERE d.meeting_id = $1 AND d.territory_id = $2 ORDER BY d.id",
        )
        .bind(id)
        .bind(self.key())
        .fetch_all(pool)
        .await)?;
        let decisions = rows
            .into_iter()
            .map(DecisionRow::into_decision)
            .collect::<Result<_, _>>()?;
        Ok(Some((meeting, decisions)))
    }

    async fn load_meetings(&self, only: Option<i64>) -> Result<Vec<Meeting>, StorageError> {
        let (rows, agenda) = on_pool!(self.storage, pool => {
            let rows: Vec<MeetingRow> = sqlx::query_as(&format!(
                "SELECT {MEETING_COLUMNS} FROM meeting WHERE territory_id = $2 AND ($1 IS NULL OR id = $1) \
                 ORDER BY held_on DESC, id DESC"
            ))
            .bind(only)
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let agenda: Vec<(i64, i64)> = sqlx::query_as(
                "SELECT a.meeting_id, a.need_id FROM meeting_need a JOIN meeting m ON m.id = a.meeting_id \
                 WHERE m.territory_id = $2 AND ($1 IS NULL OR a.meeting_id = $1) ORDER BY a.need_id",
            )
                .bind(only)
                .bind(self.key())
                .fetch_all(pool)
                .await?;
            (rows, agenda)
        });
        let mut by_meeting: HashMap<i64, Vec<i64>> = HashMap::new();
        for (meeting, need) in agenda {
            by_meeting.entry(meeting).or_default().push(need);
        }
        rows.into_iter()
            .map(|row| {
                let agenda = by_meeting.remove(&row.id).unwrap_or_default();
                row.into_meeting(agenda)
            })
            .collect()
    }

    pub async fn add_decision(
        &self,
        meeting_id: i64,
        draft: &DecisionDraft,
        actor: &Actor,
    ) -> Result<Option<i64>, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO decision (meeting_id, action_number, need_id, what, owner, due_on, status, created_at, updated_at, territory_id) \
                 SELECT $1, $2, $3, $4, $5, $6, $7, $8, $8, $9 \
                 WHERE EXISTS (SELECT 1 FROM meeting WHERE id = $1 AND territory_id = $9) \
                 AND ($3 IS NULL OR EXISTS (SELECT 1 FROM need WHERE id = $3 AND territory_id = $9)) RETURNING id",
            )
            .bind(meeting_id)
            .bind(draft.action_number)
            .bind(draft.need_id)
            .bind(&draft.what)
            .bind(&draft.owner)
            .bind(draft.due_on.map(|d| d.to_string()))
            .bind(draft.status.code())
            .bind(now)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else {
                return Ok(None);
            };
            let entry = AuditEntry::new(actor, AuditAction::DecisionRecorded)
                .object("decision", id)
                .detail(format!("action {} : {}", draft.action_number, draft.what));
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(Some(id))
        })
    }

    pub async fn set_decision_status(
        &self,
        id: i64,
        status: DecisionStatus,
        actor: &Actor,
    ) -> Result<Option<i64>, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let meeting: Option<i64> = sqlx::query_scalar("UPDATE decision SET status = $2, updated_at = $3 WHERE id = $1 AND territory_id = $4 RETURNING meeting_id")
                .bind(id).bind(status.code()).bind(now).bind(self.key()).fetch_optional(&mut *tx).await?;
            if meeting.is_some() {
                insert_audit!(tx, &AuditEntry::new(actor, AuditAction::DecisionUpdated).object("decision", id).detail(status.label()), now, Some(self.key()))?;
                tx.commit().await?;
            }
            Ok(meeting)
        })
    }

    /// Every decision with its meeting and the communes of the need it answers.
    pub async fn public_decisions(&self) -> Result<Vec<PublicDecision>, StorageError> {
        let (rows, meetings, communes) = on_pool!(self.storage, pool => {
            let rows: Vec<DecisionRow> = sqlx::query_as(
                "SELECT d.id, d.meeting_id, d.action_number, d.need_id, n.title AS need_title, d.what, d.owner, d.due_on, d.status \
                 FROM decision d JOIN meeting m ON m.id = d.meeting_id LEFT JOIN need n ON n.id = d.need_id \
                 WHERE d.territory_id = $1 ORDER BY m.held_on DESC, d.id",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let meetings: Vec<(i64, String, String, String)> = sqlx::query_as("SELECT id, kind, title, held_on FROM meeting WHERE territory_id = $1")
                .bind(self.key())
                .fetch_all(pool)
                .await?;
            let communes: Vec<(i64, String)> = sqlx::query_as(
                "SELECT d.id, c.commune_code FROM decision d JOIN need_commune c ON c.need_id = d.need_id \
                 WHERE d.territory_id = $1",
            )
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            (rows, meetings, communes)
        });
        let meetings: HashMap<i64, (String, String, String)> = meetings
            .into_iter()
            .map(|(id, k, t, h)| (id, (k, t, h)))
            .collect();
        let mut by_decision: HashMap<i64, Vec<String>> = HashMap::new();
        for (decision, commune) in communes {
            by_decision.entry(decision).or_default().push(commune);
        }
        rows.into_iter()
            .filter_map(|row| {
                let (kind, title, held_on) = meetings.get(&row.meeting_id)?.clone();
                let communes = by_decision.remove(&row.id).unwrap_or_default();
                Some((row, kind, title, held_on, communes))
            })
            .map(|(row, kind, title, held_on, communes)| {
                Ok(PublicDecision {
                    decision: row.into_decision()?,
                    meeting_kind: MeetingKind::parse(&kind).map_err(|_| corrupt("meeting kind"))?,
                    meeting_title: title,
                    held_on: parse_date(&held_on)?,
                    communes,
                })
            })
            .collect()
    }
}
