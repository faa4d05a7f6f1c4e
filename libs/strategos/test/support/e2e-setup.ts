// Integration tests talk to real servers and child processes: generous limits (speed is measured in `npm run bench`).
jest.setTimeout(180_000);
