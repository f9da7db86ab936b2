import { test } from '@japa/runner'
import { barChart } from '#actions/insights/charts'
import { percent } from '#actions/insights/figures'

test.group('Insights: bar chart geometry', () => {
  test('bars scale to the largest value, stand on one baseline and carry their text', ({ assert }) => {
    const chart = barChart('chart-test', 'No-show rate by month', 'It ranged from 10.0 % to 20.0 %.', [
      { label: 'Jan 2019', value: 10, text: '10.0 %' },
      { label: 'Feb 2019', value: 20, text: '20.0 %', hatched: true },
      { label: 'Mar 2019', value: null, text: '—' },
    ])
    assert.equal(chart.baseline, 170)
    assert.deepEqual(
      chart.bars.map((bar) => [bar.x, bar.y, bar.height, bar.text, bar.hatched ?? false]),
      [
        [28, 99, 71, '10.0 %', false],
        [92, 28, 142, '20.0 %', true],
        [156, 170, 0, '—', false],
      ]
    )
    assert.isTrue(chart.hasHatched)
    assert.equal(chart.width, 16 * 2 + 3 * 64)
    // The value sits above its bar, the label under the baseline (drawn by the component).
    assert.equal(chart.bars[1].valueY, 22)
  })

  test('a chart of nothing has no bars of height, and no division by zero', ({ assert }) => {
    const chart = barChart('empty', 'Nothing', 'Nothing to show.', [{ label: 'Jan 2019', value: 0, text: '0' }])
    assert.equal(chart.bars[0].height, 0)
    assert.isFalse(chart.hasHatched)
  })

  test('percentages print with one decimal and a space, and a dash when there is nothing to divide', ({ assert }) => {
    assert.equal(percent(3, 12), '25.0 %')
    assert.equal(percent(1, 12), '8.3 %')
    assert.equal(percent(0, 0), '—')
  })
})
