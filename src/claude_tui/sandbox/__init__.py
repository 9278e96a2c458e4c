"""The boundary around untrusted code: the bubblewrap sandbox runner and git that runs nothing."""
