//! Long texts of the plan (diagnostics, implementation) are stored as light plain text:
//! paragraphs separated by blank lines, list items starting with `- `, sub-items with
//! two spaces then `- `. This renders them as HTML paragraphs and lists.

use leptos::prelude::*;

#[derive(Debug, Clone, PartialEq, Eq)]
enum Block {
    Paragraph(String),
    List(Vec<Item>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Item {
    text: String,
    children: Vec<String>,
}

fn blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    for chunk in text.split("\n\n") {
        let mut paragraph: Vec<&str> = Vec::new();
        let mut items: Vec<Item> = Vec::new();
        for line in chunk.lines() {
            if let Some(child) = line.strip_prefix("  - ") {
                match items.last_mut() {
                    Some(item) => item.children.push(child.trim().to_owned()),
                    None => items.push(Item {
                        text: child.trim().to_owned(),
                        children: Vec::new(),
                    }),
                }
            } else if let Some(item) = line.strip_prefix("- ") {
                flush_paragraph(&mut paragraph, &mut blocks);
                items.push(Item {
                    text: item.trim().to_owned(),
                    children: Vec::new(),
                });
            } else if !line.trim().is_empty() {
                if !items.is_empty() {
                    blocks.push(Block::List(std::mem::take(&mut items)));
                }
                paragraph.push(line.trim());
            }
        }
        flush_paragraph(&mut paragraph, &mut blocks);
        if !items.is_empty() {
            blocks.push(Block::List(items));
        }
    }
    blocks
}

fn flush_paragraph(lines: &mut Vec<&str>, blocks: &mut Vec<Block>) {
    if !lines.is_empty() {
        blocks.push(Block::Paragraph(lines.join(" ")));
        lines.clear();
    }
}

/// A plan text rendered as paragraphs and lists.
#[component]
pub(crate) fn RichText(text: String) -> impl IntoView {
    blocks(&text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(text) => view! { <p>{text}</p> }.into_any(),
            Block::List(items) => view! {
                <ul>
                    {items
                        .into_iter()
                        .map(|item| {
                            let children = (!item.children.is_empty()).then(|| {
                                view! {
                                    <ul>
                                        {item.children.into_iter().map(|c| view! { <li>{c}</li> }).collect_view()}
                                    </ul>
                                }
                            });
                            view! { <li>{item.text}{children}</li> }
                        })
                        .collect_view()}
                </ul>
            }
            .into_any(),
        })
        .collect_view()
}

/// A list of plain strings as a `<ul>`.
#[component]
pub(crate) fn BulletList(items: Vec<String>) -> impl IntoView {
    view! { <ul>{items.into_iter().map(|item| view! { <li>{item}</li> }).collect_view()}</ul> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_paragraphs_lists_and_sub_items() {
        let text = "Intro line one\nline two\n\n1. Heading\n\n- first\n  - nested\n- second\nAfter";
        assert_eq!(
            blocks(text),
            vec![
                Block::Paragraph("Intro line one line two".into()),
                Block::Paragraph("1. Heading".into()),
                Block::List(vec![
                    Item {
                        text: "first".into(),
                        children: vec!["nested".into()]
                    },
                    Item {
                        text: "second".into(),
                        children: vec![]
                    },
                ]),
                Block::Paragraph("After".into()),
            ]
        );
    }
}
