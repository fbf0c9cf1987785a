"""Loading packs (where rules meet checks), configuration, linting, suppressions."""
