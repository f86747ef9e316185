# Models arrive with this app's capability issue.
