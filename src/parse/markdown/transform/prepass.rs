//! The one look over all events before rendering starts, for facts a part needs ahead of the
//! construct it renders: which lists hold task items, explicit heading ids (automatic ids must
//! avoid them), footnote ids, where `<!-- more -->` is, whether there are links at all (the
//! backlink context is only tracked when there are), and which `==` pair as highlights.

use pulldown_cmark::{Event, Tag, TagEnd};

use super::Transform;
use super::blocks::is_more_comment;
use super::marks::Pairing;

impl Transform<'_, '_> {
    pub(super) fn prepass(&mut self) {
        let mut lists = Vec::new();
        let mut depth = 0usize;
        let mut footnote_names = Vec::new();
        let mut marks = Pairing::new(self.body.text);
        for (i, (event, _)) in self.events.iter().enumerate() {
            if let Some(marks) = &mut marks {
                marks.event(event, self.events.get(i + 1).map(|(e, _)| e));
            }
            match event {
                Event::Start(tag) => {
                    match tag {
                        Tag::List(_) => lists.push(i),
                        Tag::Heading { id: Some(id), .. } if !id.is_empty() => {
                            self.headings.reserved_ids.insert(id.to_string());
                        }
                        Tag::FootnoteDefinition(name) => footnote_names.push(name.clone()),
                        Tag::HtmlBlock if depth == 0 && self.blocks.more_index.is_none() => {
                            let is_more = matches!(
                                self.events.get(i + 1),
                                Some((Event::Html(h), _)) if is_more_comment(h)
                            ) && matches!(
                                self.events.get(i + 2),
                                Some((Event::End(TagEnd::HtmlBlock), _))
                            );
                            if is_more {
                                self.blocks.more_index = Some(i + 1);
                            }
                        }
                        Tag::Link { .. } | Tag::Image { .. } => self.context.track = true,
                        _ => {}
                    }
                    depth += 1;
                }
                Event::End(end) => {
                    depth = depth.saturating_sub(1);
                    if let TagEnd::List(_) = end {
                        lists.pop();
                    }
                }
                Event::TaskListMarker(_) => {
                    if let Some(&list) = lists.last() {
                        self.blocks.task_lists.push(list);
                    }
                }
                _ => {}
            }
        }
        if let Some(marks) = marks {
            self.marks = marks.finish();
        }
        self.blocks.finish_prepass();
        self.footnotes
            .assign_keys(footnote_names, &mut self.headings.reserved_ids);
    }
}
