"""The privacy app's pages, one module per capability: the access log, requests, retention."""
