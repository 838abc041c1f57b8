// A people register as officials keep one in Excel, for the import tests and journeys: a merged
// title above the header, a 序号 column, other names for some columns, numbered blank rows, a 合计
// row at the foot, ID numbers typed into General cells (which Excel keeps as numbers, losing their
// last digits), mobile numbers as numbers, and arrival dates as date cells, typed text or serials.
import ExcelJS from 'exceljs';
import { idCheckChar, parseIdNumber } from '../../common/validators.js';

export interface RegisterPerson {
  name: string;
  id: string;
  grid: string;
  type: string;
  phone?: string;
  address?: string;
  /** Typed into a General cell: Excel keeps it as a number (15 significant digits). */
  idAsNumber?: boolean;
  /** The mobile number as a number (its 11 digits survive). */
  phoneAsNumber?: boolean;
  /** A Date is a date cell; a string is typed text; a number a serial day in a General cell. */
  arrival?: Date | string | number;
}
export type RegisterLine = RegisterPerson | 'blank' | 'total';

/** The header row as registers write it: 序号 first, some columns under other names. */
export const REGISTER_HEAD = [
  '序号',
  '姓名',
  '身份证号码（必填）',
  '联系电话',
  '现住址',
  '所属网格',
  '人员类型',
  '来本地日期',
  '备注',
];
/** The sheet's row of the header (the title is row 1). */
export const REGISTER_HEADER_ROW = 2;

/** The workbook, and the sheet row of each line. */
export async function registerWorkbook(
  lines: readonly RegisterLine[],
  title = '锦城街道某村常住人口登记表',
): Promise<{ data: Buffer; rowOf: number[] }> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('登记表');
  ws.addRow([title]);
  ws.mergeCells(1, 1, 1, REGISTER_HEAD.length);
  ws.getCell('A1').alignment = { horizontal: 'center' };
  ws.addRow(REGISTER_HEAD).font = { bold: true };
  const rowOf: number[] = [];
  let n = 0;
  for (const line of lines) {
    const r = ws.rowCount + 1;
    rowOf.push(r);
    if (line === 'blank') {
      // Registers are numbered ahead: a blank row still has its 序号.
      ws.getRow(r).values = [++n];
      continue;
    }
    if (line === 'total') {
      ws.getRow(r).values = ['合计', `${n}人`];
      continue;
    }
    ws.getRow(r).values = [
      ++n,
      line.name,
      line.idAsNumber ? Number(line.id) : line.id,
      line.phone === undefined ? '' : line.phoneAsNumber ? Number(line.phone) : line.phone,
      line.address ?? '',
      line.grid,
      line.type,
      line.arrival ?? '',
      '',
    ];
    if (line.arrival instanceof Date) ws.getRow(r).getCell(8).numFmt = 'yyyy/m/d';
  }
  return { data: Buffer.from(await wb.xlsx.writeBuffer()), rowOf };
}

/**
 * A valid ID number that, kept by Excel as a number, still passes the check character (one in
 * eleven do): the case that was once imported as a wrong ID number without a word.
 */
export function idSurvivingAsNumber(region = '330112', birth = '19800101'): { id: string; asNumber: string } {
  for (let seq = 0; seq < 1000; seq++) {
    const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
    const id = first17 + idCheckChar(first17);
    const asNumber = String(Number(id));
    if (asNumber !== id && parseIdNumber(asNumber).ok) return { id, asNumber };
  }
  throw new Error('no ID number of that birth day survives as a number');
}
