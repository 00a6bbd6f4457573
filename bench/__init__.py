"""The load benchmark (`make bench`): Locust patients, the runner, the in-process floor."""
