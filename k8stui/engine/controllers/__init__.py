"""Controllers: each a separate reconciler over the store, as upstream's controller manager."""
