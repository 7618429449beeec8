//! A minimal HTTP/1.1 client over one keep-alive `TcpStream`: enough to drive the server
//! from the bench without pulling in a client library. It writes requests as given and
//! reads responses framed by `Content-Length`, `Transfer-Encoding: chunked` or the end of
//! the connection, handing the (de-chunked) body to a callback so large exports are never
//! held in memory.

use std::net::SocketAddr;

use anyhow::{Context, bail};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::chunked::Chunked;

/// Longest response head accepted, to fail fast on garbage.
const MAX_HEAD: usize = 64 * 1024;

/// The status line and headers of a response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    pub status: u16,
    /// Header names in lowercase, values trimmed, in the order received.
    pub headers: Vec<(String, String)>,
}

impl Head {
    /// The first value of a header (name in lowercase).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// How the body is delimited.
    fn framing(&self, head_request: bool) -> anyhow::Result<Framing> {
        if head_request || self.status < 200 || self.status == 204 || self.status == 304 {
            return Ok(Framing::Length(0));
        }
        if let Some(coding) = self.header("transfer-encoding") {
            if coding.to_ascii_lowercase().ends_with("chunked") {
                return Ok(Framing::Chunked);
            }
            return Ok(Framing::UntilClose);
        }
        match self.header("content-length") {
            Some(length) => {
                Ok(Framing::Length(length.parse().with_context(|| {
                    format!("bad Content-Length {length:?}")
                })?))
            }
            None => Ok(Framing::UntilClose),
        }
    }

    /// Whether the server will close the connection after this response.
    pub fn closes(&self) -> bool {
        self.header("connection")
            .is_some_and(|c| c.eq_ignore_ascii_case("close"))
    }
}

enum Framing {
    Length(u64),
    Chunked,
    UntilClose,
}

/// Parses a response head at the start of `buf`. `Ok(None)` when it is not complete yet;
/// otherwise the head and how many bytes it took.
pub fn parse_head(buf: &[u8]) -> anyhow::Result<Option<(Head, usize)>> {
    let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") else {
        if buf.len() > MAX_HEAD {
            bail!("response head longer than {MAX_HEAD} bytes");
        }
        return Ok(None);
    };
    let text = std::str::from_utf8(&buf[..end]).context("response head is not UTF-8")?;
    let mut lines = text.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let mut parts = status_line.splitn(3, ' ');
    let (Some(version), Some(code)) = (parts.next(), parts.next()) else {
        bail!("bad status line {status_line:?}");
    };
    if !version.starts_with("HTTP/1.") {
        bail!("not an HTTP/1 response: {status_line:?}");
    }
    let status = code
        .parse()
        .with_context(|| format!("bad status line {status_line:?}"))?;
    let mut headers = Vec::new();
    for line in lines {
        let (name, value) = line
            .split_once(':')
            .with_context(|| format!("bad header line {line:?}"))?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
    }
    Ok(Some((Head { status, headers }, end + 4)))
}

/// One keep-alive connection.
pub struct Conn {
    stream: TcpStream,
    /// Bytes read but not consumed yet.
    buf: Vec<u8>,
    /// Set once the server said it closes, or the stream ended.
    closed: bool,
}

impl Conn {
    pub async fn connect(address: SocketAddr) -> anyhow::Result<Self> {
        let stream = TcpStream::connect(address)
            .await
            .with_context(|| format!("cannot connect to {address}"))?;
        stream.set_nodelay(true)?;
        Ok(Self {
            stream,
            buf: Vec::with_capacity(16 * 1024),
            closed: false,
        })
    }

    /// Whether the connection can carry another request.
    pub fn is_open(&self) -> bool {
        !self.closed
    }

    pub async fn send(&mut self, request: &[u8]) -> anyhow::Result<()> {
        self.stream.write_all(request).await.context("send")?;
        Ok(())
    }

    /// Reads more bytes into the buffer; `false` at the end of the stream.
    async fn fill(&mut self) -> anyhow::Result<bool> {
        self.buf.reserve(16 * 1024);
        let read = self
            .stream
            .read_buf(&mut self.buf)
            .await
            .context("receive")?;
        Ok(read > 0)
    }

    /// Reads one response, passing its body to `body` as it arrives.
    pub async fn receive(
        &mut self,
        head_request: bool,
        mut body: impl FnMut(&[u8]),
    ) -> anyhow::Result<Head> {
        let head = loop {
            if let Some((head, used)) = parse_head(&self.buf)? {
                self.buf.drain(..used);
                break head;
            }
            if !self.fill().await? {
                self.closed = true;
                bail!("connection closed before a response");
            }
        };
        match head.framing(head_request)? {
            Framing::Length(mut left) => {
                while left > 0 {
                    if self.buf.is_empty() && !self.fill().await? {
                        self.closed = true;
                        bail!("connection closed {left} bytes before the end of the body");
                    }
                    let take = usize::try_from(left)
                        .unwrap_or(usize::MAX)
                        .min(self.buf.len());
                    body(&self.buf[..take]);
                    self.buf.drain(..take);
                    left -= take as u64;
                }
            }
            Framing::Chunked => {
                let mut decoder = Chunked::default();
                loop {
                    let used = decoder.feed(&self.buf, &mut body)?;
                    self.buf.drain(..used);
                    if decoder.is_done() {
                        break;
                    }
                    if !self.fill().await? {
                        self.closed = true;
                        bail!("connection closed inside a chunked body");
                    }
                }
            }
            Framing::UntilClose => {
                loop {
                    body(&self.buf);
                    self.buf.clear();
                    if !self.fill().await? {
                        break;
                    }
                }
                self.closed = true;
            }
        }
        if head.closes() {
            self.closed = true;
        }
        Ok(head)
    }
}

/// A request as bytes: `extra` is zero or more complete header lines (each ending in CRLF).
pub fn request(method: &str, path: &str, host: SocketAddr, extra: &str, body: &[u8]) -> Vec<u8> {
    let mut out = format!("{method} {path} HTTP/1.1\r\nHost: {host}\r\n{extra}").into_bytes();
    if !body.is_empty() || method == "POST" {
        out.extend_from_slice(format!("Content-Length: {}\r\n", body.len()).as_bytes());
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(body);
    out
}

/// One request on a fresh connection; the body is returned whole.
pub async fn fetch(address: SocketAddr, request: &[u8]) -> anyhow::Result<(Head, Vec<u8>)> {
    let mut conn = Conn::connect(address).await?;
    conn.send(request).await?;
    let mut body = Vec::new();
    let head = conn
        .receive(request.starts_with(b"HEAD "), |bytes| {
            body.extend_from_slice(bytes)
        })
        .await?;
    Ok((head, body))
}

/// `application/x-www-form-urlencoded` escaping of one name or value.
pub fn form_encode(value: &str, out: &mut String) {
    out.extend(form_urlencoded::byte_serialize(value.as_bytes()));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_head_once_complete() {
        let raw =
            b"HTTP/1.1 303 See Other\r\nLocation: /q/ABC/merci\r\nContent-Length: 0\r\n\r\nrest";
        assert!(parse_head(&raw[..20]).expect("partial").is_none());
        let (head, used) = parse_head(raw).expect("valid").expect("complete");
        assert_eq!(head.status, 303);
        assert_eq!(head.header("location"), Some("/q/ABC/merci"));
        assert_eq!(&raw[used..], b"rest");
        assert!(parse_head(b"SMTP 220 hello\r\n\r\n").is_err());
    }

    #[test]
    fn framing_follows_the_headers() {
        let head = |status, headers: &[(&str, &str)]| Head {
            status,
            headers: headers
                .iter()
                .map(|(n, v)| ((*n).to_owned(), (*v).to_owned()))
                .collect(),
        };
        let chunked = head(200, &[("transfer-encoding", "chunked")]);
        assert!(matches!(chunked.framing(false), Ok(Framing::Chunked)));
        let sized = head(200, &[("content-length", "12")]);
        assert!(matches!(sized.framing(false), Ok(Framing::Length(12))));
        assert!(matches!(sized.framing(true), Ok(Framing::Length(0))));
        assert!(matches!(
            head(304, &[]).framing(false),
            Ok(Framing::Length(0))
        ));
        assert!(matches!(
            head(200, &[]).framing(false),
            Ok(Framing::UntilClose)
        ));
        assert!(head(200, &[("connection", "Close")]).closes());
    }

    #[tokio::test]
    async fn reads_responses_back_to_back_on_one_connection() {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("listen");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.expect("accept");
            let mut seen = Vec::new();
            while !seen.ends_with(b"\r\n\r\n") {
                let mut byte = [0; 1];
                socket.read_exact(&mut byte).await.expect("read");
                seen.push(byte[0]);
            }
            socket
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                .await
                .expect("write");
            socket
                .write_all(
                    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
                )
                .await
                .expect("write");
        });
        let mut conn = Conn::connect(address).await.expect("connect");
        conn.send(&request("GET", "/", address, "", b""))
            .await
            .expect("send");
        let mut first = Vec::new();
        let head = conn
            .receive(false, |b| first.extend_from_slice(b))
            .await
            .expect("first");
        assert_eq!((head.status, first.as_slice()), (200, &b"hello"[..]));
        let mut second = Vec::new();
        conn.receive(false, |b| second.extend_from_slice(b))
            .await
            .expect("second");
        assert_eq!(second, b"abc");
        assert!(conn.is_open());
    }

    #[test]
    fn encodes_form_values() {
        let mut out = String::new();
        form_encode("Été à 5 km & +", &mut out);
        assert_eq!(out, "%C3%89t%C3%A9+%C3%A0+5+km+%26+%2B");
    }
}
