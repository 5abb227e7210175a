import { describe, expect, it } from 'vitest';
import { useTestApp } from '../support/app.js';
import { reportHelpers } from './support.js';

const ctx = useTestApp({ REPORT_DUE_DAYS: '5' });
const { createProject, submitted } = reportHelpers(ctx);

describe('progress reports: configured due days', () => {
  it('takes the due date from REPORT_DUE_DAYS and judges lateness against it', async () => {
    const onTime = await submitted((await createProject()).id, '2022-02-H2', '1.0000', { submittedAt: '2022-03-05T15:59:59Z' });
    const late = await submitted((await createProject()).id, '2022-02-H2', '1.0000', { submittedAt: '2022-03-05T16:00:00Z' });
    expect(onTime).toMatchObject({ periodEnd: '2022-02-28', dueDate: '2022-03-05', late: false });
    expect(late).toMatchObject({ dueDate: '2022-03-05', late: true });
  });
});
