import { neutralizeCell, readDay, readTable, TableError, writeTable } from '../src';

const columns = { name: ['name', '名称'], day: ['day', '日期'], note: ['note', '备注'] };

describe('tables', () => {
  it('reads CSV with Chinese or English headers, skipping blank rows, keeping line numbers', async () => {
    const rows = await readTable('CSV', '\ufeff名称,日期,其他\n甲, 2021/3/5 ,x\n,,\n乙,2021-12-31,y\n', columns, ['name']);
    expect(rows).toEqual([
      { line: 2, cells: { name: '甲', day: '2021/3/5' } },
      { line: 4, cells: { name: '乙', day: '2021-12-31' } },
    ]);
    await expect(readTable('CSV', 'note\nx\n', columns, ['name'])).rejects.toThrow(
      new TableError('the header row lacks the column(s) name'),
    );
    await expect(readTable('CSV', 'name\n"unclosed\n', columns)).rejects.toThrow(TableError);
  });

  it('writes CSV and XLSX that read back the same', async () => {
    const header = ['名称', '日期', '备注'];
    const rows = [
      ['甲, "引号"', '2021-03-05', '=SUM(A1)'],
      ['乙', '2021-12-31', ''],
    ];
    for (const format of ['CSV', 'XLSX'] as const) {
      const file = await writeTable(format, '表', header, rows);
      const back = await readTable(format, file, columns, ['name']);
      expect(back.map((r) => r.cells)).toEqual([
        { name: '甲, "引号"', day: '2021-03-05', note: '=SUM(A1)' },
        { name: '乙', day: '2021-12-31' },
      ]);
    }
    await expect(readTable('XLSX', 'bm90IGEgd29ya2Jvb2s=', columns)).rejects.toThrow(TableError);
  });

  it('neutralises cells a spreadsheet would take as formulas when asked (exports of typed text)', async () => {
    for (const v of ['=SUM(A1)', '+1', '-2+3', '@A1', '\tx', '\rx']) expect(neutralizeCell(v)).toBe(`'${v}`);
    for (const v of ['甲', '2021-03-05', '', "'=already"]) expect(neutralizeCell(v)).toBe(v);
    const rows = [['=HYPERLINK("http://x")', '2021-03-05', '@cmd']];
    for (const format of ['CSV', 'XLSX'] as const) {
      const back = await readTable(format, await writeTable(format, '表', ['名称', '日期', '备注'], rows, { neutralize: true }), columns);
      expect(back[0].cells).toEqual({ name: `'=HYPERLINK("http://x")`, day: `2021-03-05`, note: `'@cmd` });
    }
  });

  it('reads days in the usual spellings', () => {
    expect(readDay('2021/3/5')).toBe('2021-03-05');
    expect(readDay('2021.12.31')).toBe('2021-12-31');
    expect(readDay('5/3/2021')).toBeNull();
    expect(readDay(undefined)).toBeNull();
  });
});
