#include "widgets/ParamEditor.h"

#include "core/templates/JobTemplate.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCoreApplication>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QSpinBox>

namespace clusterra {

QWidget *makeParamEditor(const TemplateParam &param, QWidget *parent,
                         const std::function<void()> &changed) {
    switch (param.type) {
    case ParamType::Integer: {
        auto *s = new QSpinBox(parent);
        s->setRange(int(param.minimum.value_or(-1e9)), int(param.maximum.value_or(1e9)));
        s->setValue(param.defaultValue.is_number() ? param.defaultValue.get<int>() : s->minimum());
        QObject::connect(s, &QSpinBox::valueChanged, s, [changed] { changed(); });
        return s;
    }
    case ParamType::Number: {
        auto *s = new QDoubleSpinBox(parent);
        s->setRange(param.minimum.value_or(-1e12), param.maximum.value_or(1e12));
        s->setValue(param.defaultValue.is_number() ? param.defaultValue.get<double>() : 0.0);
        return s;
    }
    case ParamType::Boolean: {
        auto *c = new QCheckBox(parent);
        c->setChecked(param.defaultValue.is_boolean() && param.defaultValue.get<bool>());
        return c;
    }
    case ParamType::Enum: {
        auto *c = new QComboBox(parent);
        c->addItems(param.choices);
        if (param.defaultValue.is_string())
            c->setCurrentText(QString::fromStdString(param.defaultValue.get<std::string>()));
        return c;
    }
    case ParamType::String:
    case ParamType::FileKey: {
        auto *e = new QLineEdit(parent);
        e->setMaxLength(param.maxLength);
        if (param.defaultValue.is_string())
            e->setText(QString::fromStdString(param.defaultValue.get<std::string>()));
        if (param.type == ParamType::FileKey)
            e->setPlaceholderText(QCoreApplication::translate(
                "SubmitDialog", "a key in the cluster's files, e.g. shared/input.dat"));
        QObject::connect(e, &QLineEdit::textChanged, e, [changed] { changed(); });
        return e;
    }
    }
    return new QLineEdit(parent);
}

QVariant paramEditorValue(const QWidget *editor) {
    if (auto *s = qobject_cast<const QSpinBox *>(editor))
        return s->value();
    if (auto *d = qobject_cast<const QDoubleSpinBox *>(editor))
        return d->value();
    if (auto *c = qobject_cast<const QCheckBox *>(editor))
        return c->isChecked();
    if (auto *cb = qobject_cast<const QComboBox *>(editor))
        return cb->currentText();
    if (auto *e = qobject_cast<const QLineEdit *>(editor))
        return e->text();
    return {};
}

void setParamEditorValue(QWidget *editor, const QVariant &value) {
    if (auto *s = qobject_cast<QSpinBox *>(editor))
        s->setValue(value.toInt());
    else if (auto *d = qobject_cast<QDoubleSpinBox *>(editor))
        d->setValue(value.toDouble());
    else if (auto *c = qobject_cast<QCheckBox *>(editor))
        c->setChecked(value.toBool());
    else if (auto *cb = qobject_cast<QComboBox *>(editor))
        cb->setCurrentText(value.toString());
    else if (auto *e = qobject_cast<QLineEdit *>(editor))
        e->setText(value.toString());
}

} // namespace clusterra
