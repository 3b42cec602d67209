//! The site-wide files render writes besides the templated pages: feeds, the sitemap, alias
//! redirects, the highlighting stylesheet and robots.txt. With a memo, each is taken from the
//! last render when what it is made of is unchanged.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::diagnostics::Diagnostic;
use crate::files::{Contents, Output};
use crate::resolve::Url;

use super::fingerprint::FingerprintWriter;
use super::{Pass, SEARCH_SLUG_PATH, feeds, syntax_css};

impl Pass<'_> {
    /// The site-wide files, given the `paths` of the templated outputs (the sitemap lists them
    /// and the feeds). `copied` are the site's own files, which win over generated ones.
    pub(super) fn site_wide(
        &mut self,
        mut paths: Vec<String>,
        search_page: bool,
        copied: &HashMap<&str, &Contents>,
    ) -> Vec<Output> {
        let mut extra = self.feeds();
        paths.extend(extra.iter().map(|o| o.path.clone()));
        extra.push(self.sitemap(&paths, search_page));
        extra.extend(self.site.aliases.iter().map(|alias| Output {
            path: alias.from.output_file(),
            contents: Contents::Bytes(feeds::redirect_page(&alias.to).into_bytes().into()),
        }));
        extra.extend(self.syntax_css());
        if !copied.contains_key("robots.txt") {
            extra.push(self.robots());
        }
        extra
    }

    /// Feeds, in parallel; with a memo, a feed showing no changed page is taken from it.
    fn feeds(&mut self) -> Vec<Output> {
        let (site, memo, globals) = (self.site, self.memo.as_ref(), self.globals);
        let root = Url::new(&site.config, "");
        let feeds: Vec<Output> = feeds::feeds(site, &root)
            .par_iter()
            .map(|spec| {
                let path = spec.path(site);
                let kept = memo
                    .filter(|m| m.unchanged_globals(globals))
                    .and_then(|m| Some((m.dirty.as_ref()?, m.memo.feeds.get(&path)?)))
                    .filter(|(dirty, _)| spec.entries.iter().all(|&p| !dirty[p]));
                match kept {
                    Some((_, bytes)) => Output {
                        path,
                        contents: Contents::Bytes(bytes.clone()),
                    },
                    None => feeds::feed(site, spec),
                }
            })
            .collect();
        if let Some(next) = &mut self.next {
            for feed in &feeds {
                if let Contents::Bytes(bytes) = &feed.contents {
                    next.feeds.insert(feed.path.clone(), bytes.clone());
                }
            }
        }
        feeds
    }

    /// The sitemap lists the paths and the dates of pages: with the same paths, a private change
    /// of pages leaves it as it was.
    fn sitemap(&mut self, paths: &[String], search_page: bool) -> Output {
        let search_file = format!("{SEARCH_SLUG_PATH}index.html");
        let paths_fingerprint = {
            let mut writer = FingerprintWriter::default();
            for path in paths {
                writer.bytes(path.as_bytes());
            }
            writer.finish()
        };
        let kept_sitemap = self
            .memo
            .as_ref()
            .filter(|m| m.dirty.is_some() && m.unchanged_globals(self.globals))
            .and_then(|m| m.memo.sitemap.as_ref())
            .filter(|(fingerprint, _)| *fingerprint == paths_fingerprint);
        let sitemap = match kept_sitemap {
            Some((_, bytes)) => Output {
                path: "sitemap.xml".into(),
                contents: Contents::Bytes(bytes.clone()),
            },
            None => feeds::sitemap(
                self.site,
                paths,
                search_page.then_some(search_file.as_str()),
            ),
        };
        if let (Some(next), Contents::Bytes(bytes)) = (&mut self.next, &sitemap.contents) {
            next.sitemap = Some((paths_fingerprint, bytes.clone()));
        }
        sitemap
    }

    /// `syntax.css`, written even with highlighting off: themes link it, and it styles plain
    /// code blocks too. A function of the two theme names only.
    fn syntax_css(&mut self) -> Option<Output> {
        let highlighting = &self.site.config.highlighting;
        let themes = (
            highlighting.light_theme.clone(),
            highlighting.dark_theme.clone(),
        );
        let kept_css = self
            .memo
            .as_ref()
            .and_then(|m| m.memo.syntax_css.as_ref())
            .filter(|(names, _)| *names == themes)
            .map(|(_, css)| Ok(css.clone()));
        let made = kept_css.unwrap_or_else(|| {
            syntax_css::theme_css(&themes.0, &themes.1)
                .map(|css| bytes::Bytes::from(css.into_bytes()))
        });
        match made {
            Ok(css) => {
                if let Some(next) = &mut self.next {
                    next.syntax_css = Some((themes, css.clone()));
                }
                Some(Output {
                    path: "syntax.css".into(),
                    contents: Contents::Bytes(css),
                })
            }
            Err(message) => {
                self.diagnostics.push(
                    Diagnostic::error(format!("highlighting theme: {message}")).with_hint(
                        "set [highlighting] light_theme and dark_theme in site.toml to theme \
                         names listed above",
                    ),
                );
                None
            }
        }
    }

    /// `robots.txt`, allowing everything and naming the sitemap.
    fn robots(&self) -> Output {
        Output {
            path: "robots.txt".into(),
            contents: Contents::Bytes(
                format!(
                    "User-agent: *\nAllow: /\nSitemap: {}\n",
                    self.site.config.permalink("sitemap.xml")
                )
                .into_bytes()
                .into(),
            ),
        }
    }
}
