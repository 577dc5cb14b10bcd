// Guards the React 18 run (`npm run test:react18`): the suite must really run on React 18, with
// one React instance shared by react-dom, Testing Library and TanStack Query. Under the default
// config it checks the same single-instance property on React 19.
import { QueryClient, QueryClientProvider, useQuery } from '@tanstack/react-query';
import { render, screen } from '@testing-library/react';
import { useState, version } from 'react';
import { version as domVersion } from 'react-dom';
import { expect, test } from 'vitest';

function Probe() {
  const [label] = useState('hooks work');
  const query = useQuery({ queryKey: ['probe'], queryFn: () => Promise.resolve('query works') });
  return (
    <p>
      {label}, {query.data ?? 'pending'}
    </p>
  );
}

test('the suite runs on the expected React, as a single instance', async () => {
  const expectedMajor = process.env.COZE_EXPECT_REACT_MAJOR;
  if (expectedMajor) expect(version.split('.')[0]).toBe(expectedMajor);
  expect(domVersion).toBe(version);
  // A second React copy anywhere on this path makes hooks throw "Invalid hook call".
  render(
    <QueryClientProvider client={new QueryClient()}>
      <Probe />
    </QueryClientProvider>,
  );
  expect(await screen.findByText('hooks work, query works')).toBeTruthy();
});
