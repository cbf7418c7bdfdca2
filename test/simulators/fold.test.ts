import t from 'tap'
import { foldName, nameTokens } from '../../src/simulators/fold.js'

t.test('foldName strips tone marks, đ and case', async (t) => {
  t.equal(foldName('Đặng Thị Hoà'), 'dang thi hoa')
  t.equal(foldName('NGUYỄN   VĂN\tĐỨC '), 'nguyen van duc')
  t.equal(foldName('Trương Ngọc Ánh'), 'truong ngoc anh')
  t.equal(foldName('Phạm Thị Thuý Hằng'), 'pham thi thuy hang')
})

t.test('foldName treats composed and decomposed input alike', async (t) => {
  const composed = 'Lê Văn Hưng'.normalize('NFC')
  const decomposed = 'Lê Văn Hưng'.normalize('NFD')

  t.equal(foldName(composed), foldName(decomposed))
})

t.test('nameTokens splits the folded name', async (t) => {
  t.same(nameTokens(' Bùi  Xuân Phái '), ['bui', 'xuan', 'phai'])
  t.same(nameTokens('   '), [])
})
