/** Stable codes of definition diagnostics; documented in the library README. */
export const DiagnosticCode = {
  EmptyWorkflow: 'STRAT001',
  InvalidWorkflowName: 'STRAT002',
  InvalidStepName: 'STRAT003',
  DuplicateStepName: 'STRAT004',
  NotAStepClass: 'STRAT005',
  CompensationOnTerminalStep: 'STRAT006',
  StepOrder: 'STRAT007',
  DuplicateOnFailure: 'STRAT008',
  InvalidStepOption: 'STRAT009',
  ReservedStepName: 'STRAT010',
  StepNotProvided: 'STRAT011',
  DuplicateWorkflowName: 'STRAT012',
  EmptyCase: 'STRAT020',
  EmptyLoopBody: 'STRAT021',
  InvalidMaxIterations: 'STRAT022',
  NotAFunction: 'STRAT023',
  UnreachableAfterEnd: 'STRAT024',
  InvalidLoopName: 'STRAT025',
  InvalidFailureCode: 'STRAT026',
  InvalidForkPath: 'STRAT027',
  InvalidReducer: 'STRAT028',
  InvalidSignalName: 'STRAT030',
  InvalidWaitOption: 'STRAT031',
  DuplicateSignalName: 'STRAT032',
} as const;

export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];
