//! Resolve: links every document into a site.
