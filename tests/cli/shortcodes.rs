//! Shortcodes end to end: Zola's calls in Markdown, the default theme's four, a site's own
//! (HTML and Markdown, overriding the theme's), and what an author sees when a call is wrong.

use insta::assert_snapshot;

use crate::support::{Site, png, prose};

const SITE: &str = "title = \"Notes\"\nbase_url = \"https://example.com/blog/\"\n";

#[test]
fn the_default_themes_shortcodes_render_in_pages() {
    let site = Site::new(SITE);
    site.write(
        "content/Steppe Routes/Ögedei.md",
        r#"---
title: Ögedei 🐎
---
{{ figure(src="/maps/route.png", alt="The route west", caption="The route, *1237*", credit="Drawn by us") }}

{% quote(source="Rashid al-Din", link="https://example.org/compendium") %}
They came, they sapped, they burnt.
{% end %}

{% aside(title="A note on sources") %}
See [[Target]]; the figures are **estimates**.
{% end %}

{{ video(youtube="dQw4w9WgXcQ", title="A talk on logistics <live>") }}

{{ video(src="clip.mp4", title="The crossing") }}

In code, `{{ figure() }}` stays; written literally: {{/* aside(text="x") */}}.
"#,
    );
    site.write(
        "content/target.md",
        "---\ntitle: Target\n---\nThe target.\n",
    );
    site.write_bytes("static/maps/route.png", &png(600, 300));
    site.build().succeeds_silently();
    let page = site.read("public/steppe-routes/ogedei/index.html");
    assert_snapshot!(prose(&page), @r#"
    <figure class="figure">
    <p><img src="/blog/maps/route.png" width="600" height="300" alt="The route west" loading="lazy" decoding="async"></p>
    <figcaption>The route, <em>1237</em> <span class="figure-credit">Drawn by us</span></figcaption>
    </figure>
    <figure class="quote">
    <blockquote cite="https://example.org/compendium">

    <p>They came, they sapped, they burnt.</p>

    </blockquote>
    <figcaption><a href="https://example.org/compendium">Rashid al-Din</a></figcaption>
    </figure>

    <aside class="aside">
    <p class="aside-title">A note on sources</p>

    <p>See <a href="/blog/target/">Target</a>; the figures are <strong>estimates</strong>.</p>

    </aside>


    <figure class="video video-facade">
    <a class="video-play" href="https://www.youtube.com/watch?v=dQw4w9WgXcQ" data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1" data-title="A talk on logistics &lt;live&gt;">
    <span class="video-play-button" aria-hidden="true"></span>
    <span class="video-play-label"><span class="video-play-title">A talk on logistics &lt;live&gt;</span> <span class="video-play-host">Play on YouTube: nothing loads from YouTube until you click</span></span>
    </a>
    </figure>


    <figure class="video">
    <video controls preload="metadata" src="clip.mp4" title="The crossing">
    <a href="clip.mp4">Download the video: The crossing</a>
    </video>
    </figure>

    <p>In code, <code>{{ figure() }}</code> stays; written literally: {{ aside(text=“x”) }}.</p>
    "#);
}

#[test]
fn a_sites_own_shortcodes_override_the_themes_and_may_be_markdown() {
    let site = Site::new(SITE);
    site.write(
        "templates/shortcodes/aside.html",
        "<div class=\"mine\">{{ body }}</div>",
    );
    site.write("templates/shortcodes/wiki.md", "[[{{ page }}]] ({{ nth }})");
    site.write(
        "content/a.md",
        "---\ntitle: A\n---\n{% aside() %}\nOne {{ wiki(page=\"B\") }} and {{ wiki(page=\"B\") }}.\n{% end %}\n",
    );
    site.write("content/b.md", "---\ntitle: B\n---\nB.\n");
    site.build().succeeds_silently();
    assert_snapshot!(prose(&site.read("public/a/index.html")), @r#"
    <div class="mine">
    <p>One <a href="/blog/b/">B</a> (1) and <a href="/blog/b/">B</a> (2).</p>
    </div>
    "#);
    // The link a Markdown shortcode wrote is a link like any: B has its backlink.
    assert!(
        site.read("public/b/index.html")
            .contains("<a href=\"/blog/a/\">A</a>")
    );
}

#[test]
fn every_mistake_in_calls_is_reported_at_the_call() {
    let site = Site::new(SITE);
    site.write(
        "templates/shortcodes/broken.html",
        "<p>{{ word | nosuchfilter }}</p>",
    );
    site.write("templates/shortcodes/double.html", "<p>{{ n * 2 }}</p>");
    site.write(
        "content/wrong calls.md",
        r#"---
title: Wrong
---
{{ figur(src="a.png", alt="A") }}

{{ figure(src="a.png", alt="A", captoin="C") }}

{{ quote(source="Nobody") }}

{{ figure(src="a.png", alt=3 }}

{{ broken(word="x") }}

{{ double(n="two") }}

{% aside() %}
never closed
"#,
    );
    assert_snapshot!(site.build().fails(), @r#"
    error: unknown shortcode `figur`
     --> content/wrong calls.md:4:4
      |
    4 | {{ figur(src="a.png", alt="A") }}
      |    ^^^^^
      |
      = help: did you mean `figure`?

    error: shortcode `figure` has no argument `captoin`
     --> content/wrong calls.md:6:33
      |
    6 | {{ figure(src="a.png", alt="A", captoin="C") }}
      |                                 ^^^^^^^
      |
      = help: did you mean `caption`?

    error: shortcode `quote` needs the argument `text`
      --> content/wrong calls.md:8:4
       |
     8 | {{ quote(source="Nobody") }}
       |    ^^^^^
       |
       = help: add `text=…` to the call
    note: in the template of `quote`
      --> themes/steppe/templates/shortcodes/quote.html:10:51
       |
    10 | {% if body is defined %}{{ body }}{% else %}<p>{{ text }}</p>{% endif %}
       |                                                   ^^^^

    error: expected `,` or `)` in the shortcode call, found `}`
      --> content/wrong calls.md:10:30
       |
    10 | {{ figure(src="a.png", alt=3 }}
       |                              ^
       |
       = help: write arguments as `name=value`, separated by commas: strings in quotes, numbers, `true`/`false` or `[lists]`

    error: error in shortcode `double`: Math operations can only be done on numbers, found `string`
      --> content/wrong calls.md:14:4
       |
    14 | {{ double(n="two") }}
       |    ^^^^^^
       |
       = help: check the arguments' values, or fix the template
    note: in the template of `double`
      --> templates/shortcodes/double.html:1:7
       |
     1 | <p>{{ n * 2 }}</p>
       |       ^

    error: shortcode `aside` is never closed
      --> content/wrong calls.md:16:4
       |
    16 | {% aside() %}
       |    ^^^^^
       |
       = help: end its body with `{% end %}`

    error: template error: Unknown filter `nosuchfilter`
     --> templates/shortcodes/broken.html:1:14
      |
    1 | <p>{{ word | nosuchfilter }}</p>
      |              ^^^^^^^^^^^^
      |
      = help: fix the shortcode template; a shortcode is called from Markdown as `{{ name(arg="value") }}`

    error: build failed with 7 errors; nothing was written
    "#);
}
