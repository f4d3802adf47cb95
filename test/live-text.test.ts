import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatGrowth, formatMostCommonTypes, formatNewIds } from '../src/render/text.js';

test('show_most_common_types layout: name padded to the widest, one space, count', () => {
  assert.equal(
    formatMostCommonTypes([
      ['function', 2929],
      ['tuple', 1492],
      ['wrapper_descriptor', 1141],
      ['ReferenceType', 850],
    ]),
    'function           2929\ntuple              1492\nwrapper_descriptor 1141\nReferenceType      850\n',
  );
  assert.equal(formatMostCommonTypes([]), '');
});

test('show_growth layout: %-*s%9d %+9d', () => {
  assert.equal(
    formatGrowth([
      ['dict', 1266, 3],
      ['getset_descriptor', 486, 2],
      ['MyBigFatObject', 2, 2],
    ]),
    'dict                  1266        +3\ngetset_descriptor      486        +2\nMyBigFatObject           2        +2\n',
  );
  assert.equal(formatGrowth([['Session', 3, -2]]), 'Session        3        -2\n');
  assert.equal(formatGrowth([]), '');
});

test('get_new_ids layout: = rule of width+52, %13s header, %+13d rows', () => {
  const expected = [
    '======================================================================',
    'Type                    Old_ids  Current_ids      New_ids Count_Deltas',
    '======================================================================',
    'list                        321          332          +11          +11',
    'wrapper_descriptor         1141         1141           +0           +0',
    'type                        423          423           +0           +0',
    'tuple                      1327         1327           +0           +0',
    '======================================================================',
    '',
  ].join('\n');
  assert.equal(
    formatNewIds([
      ['list', 321, 332, 11, 11],
      ['wrapper_descriptor', 1141, 1141, 0, 0],
      ['type', 423, 423, 0, 0],
      ['tuple', 1327, 1327, 0, 0],
    ]),
    expected,
  );
  assert.equal(formatNewIds([]), '');
  // Narrow names: the header is not truncated, the rule follows the names.
  assert.equal(formatNewIds([['a', 1, 0, 0, -1]]).split('\n')[0], '='.repeat(53));
});
