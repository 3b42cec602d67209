//! Render: templates.
