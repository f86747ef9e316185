# Models arrive with this app's capability issue; each is registered here with filters and search.
