import ExcelJS from 'exceljs';
import { BranchColumn, neutralizeCell, readDay, readTable, TableError, writeTable } from '../src';

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

  it('neutralises every cell a spreadsheet would take as a formula, and reads it back as it was', async () => {
    for (const v of ['=SUM(A1)', '+1', '-2+3', '@A1', '\tx', '\rx']) expect(neutralizeCell(v)).toBe(`'${v}`);
    for (const v of ['甲', '2021-03-05', '', "'=already"]) expect(neutralizeCell(v)).toBe(v);
    const rows = [['=HYPERLINK("http://x")', '2021-03-05', '@cmd']];
    for (const format of ['CSV', 'XLSX'] as const) {
      const file = await writeTable(format, '表', ['名称', '日期', '备注'], rows);
      // In the file: text, not a formula.
      if (format === 'CSV') expect(file).toContain(`'=HYPERLINK(""http://x"")`);
      const back = await readTable(format, file, columns);
      expect(back[0].cells).toEqual({ name: '=HYPERLINK("http://x")', day: '2021-03-05', note: '@cmd' });
    }
  });

  it('finds the header row below title rows, in CSV and XLSX, and reads the file as bytes too', async () => {
    const csv = '浙江省红十字会会员名册\n填报日期：2024年1月\n名称,日期\n甲,2021-03-05\n';
    expect(await readTable('CSV', csv, columns, ['name'])).toEqual([{ line: 4, cells: { name: '甲', day: '2021-03-05' } }]);
    expect(await readTable('CSV', Buffer.from(csv), columns, ['name'])).toEqual([{ line: 4, cells: { name: '甲', day: '2021-03-05' } }]);
    // A title that happens to contain no known column is skipped; one naming "name" alone is a header only if required columns are there.
    expect((await readTable('CSV', '名称\n名称,日期\n乙,2021-01-01\n', columns, ['name', 'day'])).map((r) => r.line)).toEqual([3]);

    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet('名册');
    sheet.addRow(['某市红十字会 博爱家园名册']);
    sheet.mergeCells('A1:C1');
    sheet.addRow([]);
    sheet.addRow(['单位：', '某市']);
    sheet.addRow(['名称', '日期', '备注']);
    sheet.addRow(['丙', '2022-02-02', '']);
    const bytes = Buffer.from(await wb.xlsx.writeBuffer());
    const expected = [{ line: 5, cells: { name: '丙', day: '2022-02-02' } }];
    expect(await readTable('XLSX', bytes, columns, ['name'])).toEqual(expected);
    expect(await readTable('XLSX', bytes.toString('base64'), columns, ['name'])).toEqual(expected);

    // The header must be within the first ten rows.
    const deep = `${'标题\n'.repeat(10)}名称\n甲\n`;
    await expect(readTable('CSV', deep, columns, ['name'])).rejects.toThrow(new TableError('the header row lacks the column(s) name'));
    await expect(readTable('XLSX', Buffer.from('not a zip'), columns)).rejects.toThrow(new TableError('is not a readable .xlsx workbook'));
  });

  it('reads the branch column by division code or name path, inside the subtree only', () => {
    const city = { id: 'c', name: '杭州市红十字会', divisionCode: '330100', parentId: 'p' };
    const tree = [
      city,
      { id: 'x', name: '西湖区红十字会', divisionCode: '330106', parentId: 'c' },
      { id: 'y', name: '上城区红十字会', divisionCode: '330102', parentId: 'c' },
      { id: 'z', name: '上城区红十字会', divisionCode: '330199', parentId: 'x', dissolvedOn: null },
      { id: 'd', name: '旧区红十字会', divisionCode: '330103', parentId: 'c', dissolvedOn: '2020-01-01' },
    ];
    const column = new BranchColumn(city, tree);
    expect(column.pick('')).toEqual({ branch: city });
    expect(column.pick('330106')).toEqual({ branch: tree[1] });
    expect(column.pick('西湖区红十字会')).toEqual({ branch: tree[1] });
    expect(column.pick('杭州市红十字会/西湖区红十字会')).toEqual({ branch: tree[1] });
    expect(column.pick('西湖区红十字会 > 上城区红十字会')).toEqual({ branch: tree[3] });
    expect(column.pick('330000')).toEqual({ error: 'no branch with division code 330000 in the subtree of 杭州市红十字会' });
    expect(column.pick('宁波市红十字会')).toEqual({ error: 'no branch named 宁波市红十字会 in the subtree of 杭州市红十字会' });
    expect(column.pick('浙江省红十字会/杭州市红十字会')).toHaveProperty('error');
    expect(column.pick('上城区红十字会')).toEqual({
      error: '上城区红十字会 names 2 branches in the subtree of 杭州市红十字会: give the division code or a longer path',
    });
    expect(column.pick('330103')).toEqual({ error: '旧区红十字会 is dissolved' });
  });

  it('reads days in the usual spellings', () => {
    expect(readDay('2021/3/5')).toBe('2021-03-05');
    expect(readDay('2021.12.31')).toBe('2021-12-31');
    expect(readDay('5/3/2021')).toBeNull();
    expect(readDay(undefined)).toBeNull();
  });
});
