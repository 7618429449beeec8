//! Indicator settings, rules, recorded values, and the reports that combine them with the
//! answer tallies of each period.

use std::collections::HashMap;

use sqlx::FromRow;
use time::Date;

use super::audit::insert_audit;
use super::decode::{corrupt, parse_date};
use super::{StorageError, TerritoryStorage, WritePool, now_unix, on_pool};
use crate::audit::{Actor, AuditAction, AuditEntry};
use crate::indicators::{
    FIRST_YEAR, IndicatorSettings, LAST_YEAR, Period, PeriodValue, Periodicity, RecordDraft,
    RecordedValue, Rule, RuleDraft, RuleKind, Tally, evaluate, evaluate_activity,
};
use crate::plan::IndicatorKind;
use crate::survey::QuestionKind;

#[derive(FromRow)]
struct SettingsRow {
    code: String,
    action_number: i32,
    label: String,
    kind: String,
    unit: String,
    baseline_value: Option<f64>,
    baseline_label: String,
    target_value: Option<f64>,
    periodicity: String,
    published: bool,
    activity: Option<String>,
}

#[derive(FromRow)]
struct RuleRow {
    id: i64,
    indicator_code: String,
    kind: String,
    options: String,
    survey_id: i64,
    survey_title: String,
    question_id: i64,
    question_code: String,
    question_label: String,
    question_kind: String,
}

#[derive(FromRow)]
struct ValueRow {
    indicator_code: String,
    period: String,
    value: Option<f64>,
    text: String,
    source: String,
    note: String,
    recorded_by_label: String,
    recorded_at: i64,
}

#[derive(FromRow)]
struct TallyRow {
    question_id: i64,
    option_id: i64,
    option_code: String,
    option_label: String,
    day: String,
    responses: i64,
    value_sum: f64,
}

impl SettingsRow {
    fn settings(&self) -> Result<IndicatorSettings, StorageError> {
        Ok(IndicatorSettings {
            code: self.code.clone(),
            kind: self
                .kind
                .parse::<IndicatorKind>()
                .map_err(|_| corrupt("indicator kind"))?,
            unit: self.unit.clone(),
            baseline_value: self.baseline_value,
            baseline_label: self.baseline_label.clone(),
            target_value: self.target_value,
            periodicity: Periodicity::parse(&self.periodicity)
                .map_err(|_| corrupt("periodicity"))?,
            published: self.published,
        })
    }
}

impl RuleRow {
    fn into_rule(self) -> Result<Rule, StorageError> {
        Ok(Rule {
            kind: RuleKind::parse(&self.kind).map_err(|_| corrupt("rule kind"))?,
            options: serde_json::from_str(&self.options).map_err(|_| corrupt("rule options"))?,
            question_kind: QuestionKind::parse(&self.question_kind)
                .map_err(|_| corrupt("question kind"))?,
            id: self.id,
            indicator_code: self.indicator_code,
            survey_id: self.survey_id,
            survey_title: self.survey_title,
            question_id: self.question_id,
            question_code: self.question_code,
            question_label: self.question_label,
        })
    }
}

impl ValueRow {
    fn into_value(self) -> Result<RecordedValue, StorageError> {
        Ok(RecordedValue {
            period: Period::parse(&self.period).map_err(|_| corrupt("period"))?,
            indicator_code: self.indicator_code,
            value: self.value,
            text: self.text,
            source: self.source,
            note: self.note,
            recorded_by: self.recorded_by_label,
            recorded_at: self.recorded_at,
        })
    }
}

/// One indicator with its settings, rules and values per period.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorReport {
    pub code: String,
    pub action_number: i32,
    pub label: String,
    pub settings: IndicatorSettings,
    pub rules: Vec<Rule>,
    /// In period order: every period of the indicator's periodicity, or the one asked.
    pub values: Vec<PeriodValue>,
}

impl IndicatorReport {
    /// The most recent period that has a value.
    pub fn latest(&self) -> Option<&PeriodValue> {
        self.values.iter().rev().find(|v| v.has_value())
    }
}

const SETTINGS_QUERY: &str = "SELECT code, action_number, label, kind, unit, baseline_value, baseline_label, \
     target_value, periodicity, published, activity FROM plan_indicator \
     WHERE territory_id = $2 AND ($1 IS NULL OR action_number = $1) ORDER BY action_number, position";

const RULES_QUERY: &str = "SELECT r.id, r.indicator_code, r.kind, r.options, q.survey_id, s.title AS survey_title, \
     q.id AS question_id, q.code AS question_code, q.label AS question_label, q.kind AS question_kind \
     FROM indicator_rule r JOIN question q ON q.id = r.question_id JOIN survey s ON s.id = q.survey_id \
     JOIN plan_indicator i ON i.territory_id = r.territory_id AND i.code = r.indicator_code \
     WHERE r.territory_id = $2 AND ($1 IS NULL OR i.action_number = $1) ORDER BY r.id";

impl TerritoryStorage {
    /// Every indicator (or those of one action) with its values for each period of its
    /// periodicity, or only for `only` when given. Values are computed from the tallies
    /// now, never stored.
    pub async fn indicator_reports(
        &self,
        action: Option<i32>,
        only: Option<Period>,
    ) -> Result<Vec<IndicatorReport>, StorageError> {
        let (first, end) = match only {
            Some(period) => period.bounds(),
            None => (
                Period::year(FIRST_YEAR).bounds().0,
                Period::year(LAST_YEAR).bounds().1,
            ),
        };
        let (settings, rules, values, tallies) = on_pool!(self.storage, pool => {
            let settings: Vec<SettingsRow> = sqlx::query_as(SETTINGS_QUERY).bind(action).bind(self.key()).fetch_all(pool).await?;
            let rules: Vec<RuleRow> = sqlx::query_as(RULES_QUERY).bind(action).bind(self.key()).fetch_all(pool).await?;
            let values: Vec<ValueRow> = sqlx::query_as(
                "SELECT v.indicator_code, v.period, v.value, v.text, v.source, v.note, v.recorded_by_label, v.recorded_at \
                 FROM indicator_value v \
                 JOIN plan_indicator i ON i.territory_id = v.territory_id AND i.code = v.indicator_code \
                 WHERE v.territory_id = $2 AND ($1 IS NULL OR i.action_number = $1)",
            )
            .bind(action)
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            let tallies: Vec<TallyRow> = sqlx::query_as(
                "SELECT t.question_id, t.option_id, COALESCE(o.code, '') AS option_code, \
                 COALESCE(o.label, '') AS option_label, t.day, t.responses, t.value_sum \
                 FROM answer_tally t LEFT JOIN question_option o ON o.id = t.option_id \
                 WHERE t.question_id IN (SELECT r.question_id FROM indicator_rule r \
                     JOIN plan_indicator i ON i.territory_id = r.territory_id AND i.code = r.indicator_code \
                     WHERE r.territory_id = $4 AND ($1 IS NULL OR i.action_number = $1)) \
                   AND t.day >= $2 AND t.day < $3",
            )
            .bind(action)
            .bind(first.to_string())
            .bind(end.to_string())
            .bind(self.key())
            .fetch_all(pool)
            .await?;
            (settings, rules, values, tallies)
        });

        let mut rules_by_code: HashMap<String, Vec<Rule>> = HashMap::new();
        for row in rules {
            let rule = row.into_rule()?;
            rules_by_code
                .entry(rule.indicator_code.clone())
                .or_default()
                .push(rule);
        }
        let mut recorded: HashMap<(String, String), RecordedValue> = HashMap::new();
        for row in values {
            let value = row.into_value()?;
            recorded.insert((value.indicator_code.clone(), value.period.code()), value);
        }
        // Tallies by day, summed into each period asked for.
        let mut dated: Vec<(Date, Tally)> = Vec::with_capacity(tallies.len());
        for row in tallies {
            dated.push((
                parse_date(&row.day)?,
                Tally {
                    question_id: row.question_id,
                    option_id: row.option_id,
                    option_code: row.option_code,
                    option_label: row.option_label,
                    responses: row.responses,
                    value_sum: row.value_sum,
                },
            ));
        }
        let today = crate::domain::paris::today();
        let facts = self.activity_facts().await?;
        let mut per_period: HashMap<String, Vec<Tally>> = HashMap::new();
        let mut reports = Vec::with_capacity(settings.len());
        for row in settings {
            let settings = row.settings()?;
            let rules = rules_by_code.remove(&row.code).unwrap_or_default();
            let activity = row
                .activity
                .as_deref()
                .and_then(|code| RuleKind::parse(code).ok())
                .filter(|k| k.is_activity());
            let periods = match only {
                Some(period) => vec![period],
                None => settings.periodicity.periods(),
            };
            let values = periods
                .into_iter()
                .map(|period| {
                    let computed = if let Some(kind) = activity {
                        let (start, end) = period.bounds();
                        (start <= today).then(|| evaluate_activity(kind, &facts.within(start, end)))
                    } else if rules.is_empty() {
                        None
                    } else {
                        let tallies = per_period
                            .entry(period.code())
                            .or_insert_with(|| sum_period(&dated, period));
                        let refs: Vec<&Rule> = rules.iter().collect();
                        // A period that has not started has no value, unless answers
                        // are already dated in it (typed-in paper, imports).
                        evaluate(&refs, tallies).filter(|c| c.n > 0 || period.bounds().0 <= today)
                    };
                    PeriodValue {
                        period,
                        computed,
                        recorded: recorded.remove(&(row.code.clone(), period.code())),
                    }
                })
                .collect();
            reports.push(IndicatorReport {
                code: row.code,
                action_number: row.action_number,
                label: row.label,
                settings,
                rules,
                values,
            });
        }
        Ok(reports)
    }

    pub async fn update_indicator_settings(
        &self,
        settings: &IndicatorSettings,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let updated = sqlx::query(
                "UPDATE plan_indicator SET kind = $2, unit = $3, baseline_value = $4, baseline_label = $5, \
                 target_value = $6, periodicity = $7, published = $8 WHERE code = $1 AND territory_id = $9",
            )
            .bind(&settings.code)
            .bind(settings.kind.as_str())
            .bind(&settings.unit)
            .bind(settings.baseline_value)
            .bind(&settings.baseline_label)
            .bind(settings.target_value)
            .bind(settings.periodicity.code())
            .bind(settings.published)
            .bind(self.key())
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Ok(false);
            }
            let entry = AuditEntry::new(actor, AuditAction::IndicatorSettingsChanged).object("indicator", &settings.code);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Adds a rule; all rules of an indicator use the same variant (they merge).
    pub async fn add_rule(
        &self,
        indicator_code: &str,
        draft: &RuleDraft,
        actor: &Actor,
    ) -> Result<Result<i64, RuleKind>, StorageError> {
        let now = now_unix();
        let options = serde_json::to_string(&draft.options).unwrap_or_else(|_| "[]".to_owned());
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            // An indicator fed by activity, or already computed another way, keeps that.
            let existing: Option<String> = sqlx::query_scalar(
                "SELECT COALESCE((SELECT activity FROM plan_indicator WHERE code = $1 AND territory_id = $2), \
                 (SELECT kind FROM indicator_rule WHERE indicator_code = $1 AND territory_id = $2 LIMIT 1))",
            )
            .bind(indicator_code)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?
            .flatten();
            if let Some(kind) = existing.and_then(|k| RuleKind::parse(&k).ok()).filter(|k| *k != draft.kind) {
                return Ok(Err(kind));
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO indicator_rule (indicator_code, kind, question_id, options, created_at, territory_id) \
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(indicator_code)
            .bind(draft.kind.code())
            .bind(draft.question_id)
            .bind(&options)
            .bind(now)
            .bind(self.key())
            .fetch_one(&mut *tx)
            .await?;
            let entry = AuditEntry::new(actor, AuditAction::IndicatorRuleAdded)
                .object("indicator", indicator_code)
                .detail(format!("{} (question {})", draft.kind.label(), draft.question_id));
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(Ok(id))
        })
    }

    pub async fn delete_rule(
        &self,
        indicator_code: &str,
        rule_id: i64,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let deleted = sqlx::query("DELETE FROM indicator_rule WHERE id = $1 AND indicator_code = $2 AND territory_id = $3")
                .bind(rule_id)
                .bind(indicator_code)
                .bind(self.key())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if deleted == 0 {
                return Ok(false);
            }
            let entry = AuditEntry::new(actor, AuditAction::IndicatorRuleRemoved).object("indicator", indicator_code).detail(format!("règle {rule_id}"));
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Records (or replaces) the value of an indicator for a period; the previous value
    /// stays in the audit log.
    pub async fn record_value(
        &self,
        indicator_code: &str,
        draft: &RecordDraft,
        actor: &Actor,
    ) -> Result<bool, StorageError> {
        let now = now_unix();
        let period = draft.period.code();
        on_pool!(self.storage, pool => {
            let mut tx = pool.begin_write().await?;
            let known: Option<String> = sqlx::query_scalar("SELECT code FROM plan_indicator WHERE code = $1 AND territory_id = $2")
                .bind(indicator_code)
                .bind(self.key())
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Ok(false);
            }
            let previous: Option<(Option<f64>, String)> = sqlx::query_as(
                "SELECT value, text FROM indicator_value WHERE indicator_code = $1 AND period = $2 AND territory_id = $3",
            )
            .bind(indicator_code)
            .bind(&period)
            .bind(self.key())
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO indicator_value (indicator_code, period, value, text, source, note, recorded_by, recorded_by_label, recorded_at, territory_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (territory_id, indicator_code, period) DO UPDATE SET \
                 value = excluded.value, text = excluded.text, source = excluded.source, note = excluded.note, \
                 recorded_by = excluded.recorded_by, recorded_by_label = excluded.recorded_by_label, recorded_at = excluded.recorded_at",
            )
            .bind(indicator_code)
            .bind(&period)
            .bind(draft.value)
            .bind(&draft.text)
            .bind(&draft.source)
            .bind(&draft.note)
            .bind(actor.id())
            .bind(actor.label())
            .bind(now)
            .bind(self.key())
            .execute(&mut *tx)
            .await?;
            let show = |value: Option<f64>, text: &str| match value {
                Some(v) => v.to_string(),
                None => format!("« {text} »"),
            };
            let detail = match previous {
                Some((value, text)) => format!("{period} : {} → {} ({})", show(value, &text), show(draft.value, &draft.text), draft.source),
                None => format!("{period} : {} ({})", show(draft.value, &draft.text), draft.source),
            };
            let entry = AuditEntry::new(actor, AuditAction::IndicatorValueRecorded).object("indicator", indicator_code).detail(detail);
            insert_audit!(tx, &entry, now, Some(self.key()))?;
            tx.commit().await?;
            Ok(true)
        })
    }
}

/// The tallies of the days within `period`, summed per question and option.
fn sum_period(dated: &[(Date, Tally)], period: Period) -> Vec<Tally> {
    let (start, end) = period.bounds();
    let mut sums: HashMap<(i64, i64), Tally> = HashMap::new();
    for (_, tally) in dated.iter().filter(|(day, _)| *day >= start && *day < end) {
        let entry = sums
            .entry((tally.question_id, tally.option_id))
            .or_insert_with(|| Tally {
                responses: 0,
                value_sum: 0.0,
                ..tally.clone()
            });
        entry.responses += tally.responses;
        entry.value_sum += tally.value_sum;
    }
    sums.into_values().collect()
}
