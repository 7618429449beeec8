//! Exporting a survey's responses as CSV chunks: rows go out as they are read.

use tokio::sync::mpsc;

use super::{CsvOut, Dialect, WideRows, codebook_rows, long_header, long_rows, wide_header};
use crate::domain::ParseError;
use crate::storage::{ExportFilter, Storage, StorageError};
use crate::survey::SurveyDefinition;

/// Chunks are sent once they reach this size.
const CHUNK: usize = 64 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One row per response, one column per question (or option of a multiple choice).
    Wide,
    /// One row per answer.
    Long,
    /// The questions and options with their codes.
    Codebook,
}

impl Layout {
    pub const ALL: [Layout; 3] = [Self::Wide, Self::Long, Self::Codebook];

    pub fn code(self) -> &'static str {
        match self {
            Self::Wide => "wide",
            Self::Long => "long",
            Self::Codebook => "codebook",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Wide => "Une ligne par réponse",
            Self::Long => "Une ligne par réponse à une question",
            Self::Codebook => "Livre de codes",
        }
    }

    pub fn parse(input: &str) -> Result<Self, ParseError> {
        Self::ALL
            .into_iter()
            .find(|l| l.code() == input.trim())
            .ok_or_else(|| ParseError::new("Format attendu : wide, long ou codebook."))
    }
}

/// Why an export stopped.
#[derive(Debug, thiserror::Error)]
pub enum ExportJobError {
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Csv(#[from] super::ExportError),
}

/// Writes a survey's responses in `layout` and `dialect` as chunks of bytes into `out`,
/// reading them from the database as it goes. Returns how many responses were written;
/// stops early when `out` is closed (a cancelled download).
pub async fn responses_csv(
    storage: &Storage,
    definition: &SurveyDefinition,
    layout: Layout,
    dialect: Dialect,
    filter: &ExportFilter,
    out: mpsc::Sender<Vec<u8>>,
) -> Result<u64, ExportJobError> {
    let mut csv = CsvOut::new(Vec::with_capacity(CHUNK * 2), dialect)?;
    if layout == Layout::Codebook {
        for row in codebook_rows(definition) {
            csv.write_row(&row)?;
        }
        let _ = out.send(csv.take()).await;
        return Ok(0);
    }
    match layout {
        Layout::Wide => csv.write_row(&wide_header(definition, dialect))?,
        _ => csv.write_row(&long_header())?,
    }
    let mut wide = WideRows::new(definition, dialect);
    let (records_in, mut records) = mpsc::channel(4);
    // Reading (and unpacking the answers) runs as its own task, so it shares the work
    // with the CSV writing below across cores instead of taking turns with it.
    let producer = {
        let storage = storage.clone();
        let filter = filter.clone();
        let survey_id = definition.survey.id;
        tokio::spawn(async move {
            storage
                .stream_responses(survey_id, &filter, records_in)
                .await
        })
    };
    let consumer = async {
        while let Some(page) = records.recv().await {
            for record in page {
                match layout {
                    Layout::Wide => csv.write_row(wide.row(&record))?,
                    _ => {
                        for row in long_rows(definition, dialect, &record) {
                            csv.write_row(&row)?;
                        }
                    }
                }
                if csv.buffered() >= CHUNK && out.send(csv.take()).await.is_err() {
                    // The download was cancelled: dropping `records` stops the producer.
                    return Ok::<bool, ExportJobError>(false);
                }
            }
        }
        Ok(true)
    };
    let finished = consumer.await;
    // Done or given up: without a receiver, the producer stops at its next row.
    drop(records);
    let written = producer.await.map_err(StorageError::Task)?;
    if finished? {
        let _ = out.send(csv.take()).await;
    }
    Ok(written?)
}
