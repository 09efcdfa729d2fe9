/** Stable codes of syntax diagnostics (KQL1xxx). Tests and users match on these; never renumber. */
export const SYNTAX = {
  badCharacter: 'KQL1001',
  badString: 'KQL1002',
  expected: 'KQL1003',
  expectedExpression: 'KQL1004',
  expectedName: 'KQL1005',
  unknownOperator: 'KQL1006',
  badLiteral: 'KQL1007',
  unexpectedToken: 'KQL1008',
  tooDeep: 'KQL1009',
  badType: 'KQL1010',
  mergeConflict: 'KQL1011',
  placeholder: 'KQL1012',
} as const;
