/** The OpenAPI example: 中山坦洲高端显示产业园项目 (Tanzhou demo, city key list 2022), two of its report periods. */
export const oc4idsProjectExample = {
  id: 'oc4ids-kpo-01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
  updated: '2022-04-16T02:00:00.000Z',
  language: 'zh',
  identifiers: [
    {
      id: 'TZ2022-C01',
      scheme: 'kpo-project-code'
    },
    {
      id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e5f',
      scheme: 'kpo-project-id'
    }
  ],
  title: '中山坦洲高端显示产业园项目',
  status: 'implementation',
  type: 'construction',
  sector: [
    'economy'
  ],
  additionalClassifications: [
    {
      scheme: 'kpo-project-status',
      id: 'under_construction',
      description: '在建 / Under construction（自 2022-03-03 起 / since 2022-03-03）'
    },
    {
      scheme: 'kpo-project-category',
      id: 'industrial_investment',
      description: '工业投资 / Industrial investment'
    },
    {
      scheme: 'kpo-industry',
      id: '高端显示',
      description: '产业 / Industry: 高端显示'
    }
  ],
  locations: [
    {
      id: '1',
      description: '中山市产业平台（坦洲园）'
    }
  ],
  publicAuthority: {
    id: 'department-01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
    name: '坦洲镇工业和信息化局'
  },
  parties: [
    {
      id: 'department-01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e60',
      name: '坦洲镇工业和信息化局',
      identifier: {
        scheme: 'kpo-department-code',
        id: 'GX',
        legalName: '坦洲镇工业和信息化局'
      },
      roles: [
        'publicAuthority'
      ]
    },
    {
      id: 'owner-unit-中山坦洲显示科技有限公司',
      name: '中山坦洲显示科技有限公司',
      roles: [
        'buyer',
        'procuringEntity'
      ]
    }
  ],
  budget: {
    description: '估算总投资（元），年度计划投资为分项 / Estimated total investment in yuan; annual planned investment as breakdowns',
    amount: {
      amount: 1500000000,
      currency: 'CNY'
    },
    budgetBreakdowns: [
      {
        id: 'annual-plans',
        description: '年度计划投资：每个年度名单一条（同一年度多个名单时不可相加） / Planned investment for the year, one entry per annual list (entries of one year on several lists overlap)',
        budgetBreakdown: [
          {
            id: '01860c6e-6a2b-7c3d-8e9f-0a1b2c3d4e61',
            description: '2022 市重点项目 / City key project · 续建 / Continuing',
            amount: {
              amount: 150000000,
              currency: 'CNY'
            },
            period: {
              startDate: '2022-01-01T00:00:00+08:00',
              endDate: '2022-12-31T23:59:59+08:00'
            }
          }
        ]
      }
    ]
  },
  period: {
    startDate: '2021-03-01T00:00:00+08:00',
    endDate: '2024-12-31T23:59:59+08:00'
  },
  preparationPeriod: {
    startDate: '2020-01-01T00:00:00+08:00',
    endDate: '2021-03-15T23:59:59+08:00'
  },
  implementationPeriod: {
    startDate: '2021-03-15T00:00:00+08:00',
    endDate: '2024-12-31T23:59:59+08:00'
  },
  metrics: [
    {
      id: 'physicalProgress',
      title: '形象进度 / Physical progress',
      description: '每个半月报送期末的工程形象进度（%） / Physical progress of the whole project at the end of each half-month report period, %',
      observations: [
        {
          id: 'physicalProgress-2022-03-H1',
          period: {
            startDate: '2022-03-01T00:00:00+08:00',
            endDate: '2022-03-15T23:59:59+08:00'
          },
          notes: '本期未填报形象进度 / Physical progress not reported for this period'
        },
        {
          id: 'physicalProgress-2022-03-H2',
          period: {
            startDate: '2022-03-16T00:00:00+08:00',
            endDate: '2022-03-31T23:59:59+08:00'
          },
          notes: '本期未填报形象进度 / Physical progress not reported for this period'
        }
      ]
    },
    {
      id: 'financialProgress',
      title: '投资完成进度 / Financial progress',
      description: '截至每个半月报送期末的累计完成投资（元），及其占估算总投资的百分比 / Investment completed to the end of each half-month report period, in yuan, and its share of the estimated total investment, %',
      observations: [
        {
          id: 'financialProgress-2022-03-H1',
          period: {
            startDate: '2022-03-01T00:00:00+08:00',
            endDate: '2022-03-15T23:59:59+08:00'
          },
          value: {
            amount: 30001234,
            currency: 'CNY'
          },
          measure: 2,
          unit: {
            name: 'percent',
            scheme: 'UNCEFACT',
            id: 'P1'
          },
          notes: '本期完成投资 1000.1234 万元 / Investment completed in the period: 1000.1234 万元'
        },
        {
          id: 'financialProgress-2022-03-H2',
          period: {
            startDate: '2022-03-16T00:00:00+08:00',
            endDate: '2022-03-31T23:59:59+08:00'
          },
          value: {
            amount: 40000000,
            currency: 'CNY'
          },
          measure: 2.67,
          unit: {
            name: 'percent',
            scheme: 'UNCEFACT',
            id: 'P1'
          },
          notes: '本期完成投资 999.8766 万元 / Investment completed in the period: 999.8766 万元'
        }
      ]
    }
  ]
};
