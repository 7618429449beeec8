//! Just enough of the PostgreSQL wire protocol to run `CREATE DATABASE` and
//! `DROP DATABASE`: the server binary has no direct sqlx dependency, and the storage API
//! rightly offers no raw SQL. Speaks protocol 3.0 in plain TCP with trust or cleartext
//! password authentication (what a local benchmark server uses); MD5 and SCRAM are refused
//! with a clear message.

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The parts of a `postgres://` URL the protocol needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PgUrl {
    pub user: String,
    pub password: Option<String>,
    pub host: String,
    pub port: u16,
    pub database: String,
    /// Everything after `?`, kept for the URLs built from this one.
    pub query: String,
}

impl PgUrl {
    pub fn parse(url: &str) -> anyhow::Result<Self> {
        let rest = url
            .strip_prefix("postgres://")
            .or_else(|| url.strip_prefix("postgresql://"))
            .context("not a postgres:// URL")?;
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (authority, database) = rest.split_once('/').unwrap_or((rest, ""));
        let (credentials, host_port) = match authority.rsplit_once('@') {
            Some((credentials, host)) => (Some(credentials), host),
            None => (None, authority),
        };
        let (user, password) = match credentials {
            Some(c) => match c.split_once(':') {
                Some((user, password)) => (percent_decode(user)?, Some(percent_decode(password)?)),
                None => (percent_decode(c)?, None),
            },
            None => (
                std::env::var("USER").unwrap_or_else(|_| "postgres".to_owned()),
                None,
            ),
        };
        let (host, port) = match host_port.rsplit_once(':') {
            Some((host, port)) if !port.contains(']') => (
                host,
                port.parse().with_context(|| format!("bad port {port:?}"))?,
            ),
            _ => (host_port, 5432),
        };
        let host = host.trim_start_matches('[').trim_end_matches(']');
        Ok(Self {
            database: if database.is_empty() {
                user.clone()
            } else {
                percent_decode(database)?
            },
            user,
            password,
            host: if host.is_empty() {
                "localhost".to_owned()
            } else {
                host.to_owned()
            },
            port,
            query: query.to_owned(),
        })
    }

    /// The same server and credentials with another database, as given (encoded) before.
    pub fn with_database(original: &str, database: &str) -> String {
        let (base, query) = original.split_once('?').unwrap_or((original, ""));
        let scheme_end = base.find("://").map_or(0, |i| i + 3);
        let base = match base[scheme_end..].find('/') {
            Some(slash) => &base[..scheme_end + slash],
            None => base,
        };
        if query.is_empty() {
            format!("{base}/{database}")
        } else {
            format!("{base}/{database}?{query}")
        }
    }
}

fn percent_decode(input: &str) -> anyhow::Result<String> {
    let bytes = input.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = input.get(i + 1..i + 3).context("bad % escape in the URL")?;
            out.push(u8::from_str_radix(hex, 16).context("bad % escape in the URL")?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).context("URL is not UTF-8 once decoded")
}

/// Runs one statement outside any transaction with the simple query protocol.
pub async fn execute(url: &str, sql: &str) -> anyhow::Result<()> {
    let url = PgUrl::parse(url)?;
    let mut stream = TcpStream::connect((url.host.as_str(), url.port))
        .await
        .with_context(|| format!("cannot connect to PostgreSQL at {}:{}", url.host, url.port))?;
    let mut startup = Vec::new();
    startup.extend_from_slice(&196_608_i32.to_be_bytes());
    for (key, value) in [("user", &url.user), ("database", &url.database)] {
        startup.extend_from_slice(key.as_bytes());
        startup.push(0);
        startup.extend_from_slice(value.as_bytes());
        startup.push(0);
    }
    startup.push(0);
    stream.write_all(&frame(None, &startup)).await?;
    let mut sent_query = false;
    let mut failure: Option<String> = None;
    loop {
        let (kind, body) = read_message(&mut stream).await?;
        match kind {
            b'R' => match body
                .get(..4)
                .map(|b| i32::from_be_bytes([b[0], b[1], b[2], b[3]]))
            {
                Some(0) => {}
                Some(3) => {
                    let password = url
                        .password
                        .as_deref()
                        .context("PostgreSQL asks for a password and the URL has none")?;
                    let mut payload = password.as_bytes().to_vec();
                    payload.push(0);
                    stream.write_all(&frame(Some(b'p'), &payload)).await?;
                }
                Some(code) => bail!(
                    "PostgreSQL asks for an authentication (code {code}: MD5 or SCRAM) that pouls bench cannot do; \
                     give it a role with trust or password authentication, on the loopback"
                ),
                None => bail!("malformed authentication message"),
            },
            b'E' => {
                let message = error_message(&body);
                if !sent_query {
                    bail!("PostgreSQL refused the connection: {message}");
                }
                failure = Some(message);
            }
            b'Z' if !sent_query => {
                let mut payload = sql.as_bytes().to_vec();
                payload.push(0);
                stream.write_all(&frame(Some(b'Q'), &payload)).await?;
                sent_query = true;
            }
            b'Z' => break,
            // Parameter status, backend key, notices, command complete.
            _ => {}
        }
    }
    stream.write_all(&frame(Some(b'X'), &[])).await.ok();
    match failure {
        Some(message) => bail!("{sql}: {message}"),
        None => Ok(()),
    }
}

/// A protocol message: type byte (none for the startup message), length, payload.
fn frame(kind: Option<u8>, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 5);
    out.extend(kind);
    let length = i32::try_from(payload.len() + 4).unwrap_or(i32::MAX);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

async fn read_message(stream: &mut TcpStream) -> anyhow::Result<(u8, Vec<u8>)> {
    let mut header = [0u8; 5];
    stream
        .read_exact(&mut header)
        .await
        .context("PostgreSQL closed the connection")?;
    let length = i32::from_be_bytes([header[1], header[2], header[3], header[4]]);
    let length = usize::try_from(length - 4).context("bad message length")?;
    if length > 16 * 1024 * 1024 {
        bail!("PostgreSQL message too long");
    }
    let mut body = vec![0; length];
    stream.read_exact(&mut body).await?;
    Ok((header[0], body))
}

/// The `M` (message) field of an ErrorResponse.
fn error_message(body: &[u8]) -> String {
    body.split(|b| *b == 0)
        .find_map(|field| field.strip_prefix(b"M"))
        .map_or_else(
            || "unknown error".to_owned(),
            |m| String::from_utf8_lossy(m).into_owned(),
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_urls() {
        let url = PgUrl::parse("postgres://postgres@127.0.0.1:5432/postgres").expect("valid");
        assert_eq!(url.user, "postgres");
        assert_eq!(url.password, None);
        assert_eq!((url.host.as_str(), url.port), ("127.0.0.1", 5432));
        assert_eq!(url.database, "postgres");
        let url = PgUrl::parse("postgresql://me:p%40ss@[::1]/db?sslmode=disable").expect("valid");
        assert_eq!(url.password.as_deref(), Some("p@ss"));
        assert_eq!((url.host.as_str(), url.port), ("::1", 5432));
        assert_eq!(url.query, "sslmode=disable");
        assert!(PgUrl::parse("sqlite://x.db").is_err());
    }

    #[test]
    fn swaps_the_database() {
        assert_eq!(
            PgUrl::with_database("postgres://u:p@h:1/postgres?a=b", "pouls_bench_1"),
            "postgres://u:p@h:1/pouls_bench_1?a=b"
        );
        assert_eq!(PgUrl::with_database("postgres://h", "x"), "postgres://h/x");
    }

    #[test]
    fn frames_and_errors() {
        assert_eq!(frame(Some(b'X'), &[]), vec![b'X', 0, 0, 0, 4]);
        let body = b"SERROR\0C42P04\0Mdatabase \"x\" already exists\0\0";
        assert_eq!(error_message(body), "database \"x\" already exists");
    }
}
