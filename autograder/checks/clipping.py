"""Checks for assignment 7, exploding and vanishing gradients: clip_by_value, clip_by_global_norm, jacobian_norms."""
