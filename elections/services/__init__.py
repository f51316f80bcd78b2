"""Business rules of the elections app, one module per stage (setup, roll, proxies, nominations, papers)."""
