import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { createPathFileParser, parsePathFile } from './path-file.ts'
import type { Journey } from './types.ts'

const HEADER = 'path;total_conversions;total_conversion_value;total_null'

describe('ChannelAttribution path file', () => {
  test('rows become journeys with channels split on " > "', () => {
    const r = parsePathFile(`${HEADER}\neta > iota > alpha > eta;1;0.244;3\nbeta;0;0;2\n`)
    assert.deepEqual(r.issues, [])
    assert.equal(r.rowCount, 2)
    assert.deepEqual(r.journeys[0], {
      touches: [{ channel: 'eta' }, { channel: 'iota' }, { channel: 'alpha' }, { channel: 'eta' }],
      conversions: 1,
      value: 0.244,
      nulls: 3,
    })
    assert.deepEqual(r.journeys[1], { touches: [{ channel: 'beta' }], conversions: 0, value: 0, nulls: 2 })
  })

  test('CRLF endings, a byte-order mark, blank lines and quoted fields are accepted', () => {
    const r = parsePathFile(`\uFEFF${HEADER}\r\n"a > b";"2";1.5;0\r\n\r\n  \nc;1;1;1`)
    assert.deepEqual(r.issues, [])
    assert.equal(r.journeys.length, 2)
    assert.deepEqual(r.journeys[0]!.touches, [{ channel: 'a' }, { channel: 'b' }])
    assert.equal(r.journeys[0]!.conversions, 2)
  })

  test('without a header the columns are positional', () => {
    const r = parsePathFile('a > b;3;9.5;1\n')
    assert.deepEqual(r.journeys, [
      { touches: [{ channel: 'a' }, { channel: 'b' }], conversions: 3, value: 9.5, nulls: 1 },
    ])
  })

  test('a header may reorder columns and omit value and nulls, which default to 0', () => {
    const r = parsePathFile('total_conversions;source;path\n4;crm;x > y\n')
    assert.deepEqual(r.issues, [])
    assert.deepEqual(r.journeys, [
      { touches: [{ channel: 'x' }, { channel: 'y' }], conversions: 4, value: 0, nulls: 0 },
    ])
  })

  test('every bad field is reported with its line and the bad rows are left out', () => {
    const r = parsePathFile(`${HEADER}\na > > b;1;1;1\nc;-1;x;1\nd;1;1\ne;1;2;0\n`)
    assert.deepEqual(
      r.issues.map((i) => `${i.line} ${i.path}`),
      ['2 path[1]', '3 total_conversions', '3 total_conversion_value', '4 total_null'],
    )
    assert.match(r.issues[1]!.message, /expected a number ≥ 0, got "-1"/)
    assert.deepEqual(
      r.journeys.map((j) => j.touches[0]!.channel),
      ['e'],
    )
    assert.equal(r.rowCount, 4)
  })

  test('a header without total_conversions is reported on line 1', () => {
    const r = parsePathFile('path;value\na;1\n')
    assert.deepEqual(r.issues[0], {
      path: 'total_conversions',
      line: 1,
      message: 'header lacks a total_conversions column',
    })
  })

  test('an empty file is reported rather than read as no journeys', () => {
    assert.equal(parsePathFile('').issues[0]!.message, 'no header and no data rows')
  })

  test('the streaming parser hands journeys over as lines arrive, with their line numbers', () => {
    const seen: [Journey, number][] = []
    const parser = createPathFileParser({ onJourney: (j, line) => seen.push([j, line]) })
    for (const line of [HEADER, 'a;1;1;0', '', 'b > c;2;4;1']) parser.pushLine(line)
    const r = parser.finish()
    assert.deepEqual(r.journeys, [])
    assert.deepEqual(
      seen.map(([j, line]) => `${line}:${j.touches.map((t) => t.channel).join('>')}`),
      ['2:a', '4:b>c'],
    )
  })
})
