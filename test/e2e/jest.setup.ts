// The e2e project drives the real n8n: every CLI call costs ~5 s, a server start ~10 s.
jest.setTimeout(120_000);
